"""Storage on both databases: roster sync, SET semantics with an audit trail, claims."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage.outbox import GIVEN_UP, MAX_ATTEMPTS, SKIPPED, given_up
from storage.roster import Profile, TeamSpec
from storage.store import Store

NOW = datetime(2026, 12, 3, 21, 30, tzinfo=UTC)
DAY = date(2026, 12, 3)
EAST = TeamSpec("East", "U0MGR1", ["U0REP1", "U0REP2"], "US", "America/New_York")


def test_roster_sync_and_profiles(store: Store) -> None:
    store.roster.sync_config([EAST], ["U0ADM1"], DAY)

    reps = store.roster.active_reps()
    assert [r.slack_id for r in reps] == ["U0REP1", "U0REP2"]
    assert reps[0].team == "East" and reps[0].tz is None

    gone = store.roster.apply_profiles(
        [Profile("U0REP1", "Ana", "America/Chicago", False), Profile("U0REP2", "Bo", None, True)],
        NOW,
    )
    assert gone == ["U0REP2"]
    reps = store.roster.active_reps()
    assert [(r.slack_id, r.tz, r.display_name) for r in reps] == [
        ("U0REP1", "America/Chicago", "Ana")
    ]


def test_rep_moves_team_and_leaves(store: Store) -> None:
    store.roster.sync_config([EAST], [], DAY)
    west = TeamSpec("West", "U0MGR2", ["U0REP2"], "US", "America/Los_Angeles")
    store.roster.sync_config([TeamSpec("East", "U0MGR1", ["U0REP1"], "US", "UTC"), west], [], DAY)

    teams = {r.slack_id: r.team for r in store.roster.active_reps()}
    assert teams == {"U0REP1": "East", "U0REP2": "West"}

    store.roster.sync_config([west], [], DAY)
    assert [r.slack_id for r in store.roster.active_reps()] == ["U0REP2"]


def test_set_day_sets_never_adds_and_audits(store: Store) -> None:
    store.roster.sync_config([EAST], [], DAY)
    cells = {("cold_call", "no_answer"): 12, ("demo", "meeting_booked"): 2}

    first = store.entries.set_day(
        "U0REP1", DAY, cells, changed_by="U0REP1", source="modal", now=NOW, replace_all=True
    )
    again = store.entries.set_day(
        "U0REP1", DAY, cells, changed_by="U0REP1", source="modal", now=NOW, replace_all=True
    )
    assert (first.changed, first.first_checkin) == (2, True)
    assert (again.changed, again.first_checkin) == (0, False)
    assert store.entries.day_counts("U0REP1", DAY) == cells

    store.entries.set_day(
        "U0REP1",
        DAY,
        {("cold_call", "no_answer"): 10},
        changed_by="U0MGR1",
        source="modal",
        now=NOW,
        replace_all=True,
    )
    assert store.entries.day_counts("U0REP1", DAY) == {("cold_call", "no_answer"): 10}

    trail = [
        (c.call_type, c.old_count, c.new_count, c.changed_by)
        for c in store.entries.changes("U0REP1", DAY)
    ]
    assert trail == [
        ("cold_call", None, 12, "U0REP1"),
        ("demo", None, 2, "U0REP1"),
        ("cold_call", 12, 10, "U0MGR1"),
        ("demo", 2, 0, "U0MGR1"),
    ]


def test_quick_form_changes_only_named_cells(store: Store) -> None:
    store.roster.sync_config([EAST], [], DAY)
    store.entries.set_day(
        "U0REP1",
        DAY,
        {("demo", "won"): 1},
        changed_by="U0REP1",
        source="modal",
        now=NOW,
        replace_all=True,
    )
    store.entries.set_day(
        "U0REP1",
        DAY,
        {("cold_call", "voicemail"): 4},
        changed_by="U0REP1",
        source="command",
        now=NOW,
        replace_all=False,
    )
    assert store.entries.day_counts("U0REP1", DAY) == {
        ("demo", "won"): 1,
        ("cold_call", "voicemail"): 4,
    }
    assert store.entries.checked_in([("U0REP1", DAY), ("U0REP2", DAY)]) == {("U0REP1", DAY)}


def test_zero_day_is_a_checkin(store: Store) -> None:
    store.roster.sync_config([EAST], [], DAY)
    result = store.entries.set_day(
        "U0REP2", DAY, {}, changed_by="U0REP2", source="modal", now=NOW, replace_all=True
    )
    assert result == result.__class__(changed=0, first_checkin=True)
    assert store.entries.checked_in([("U0REP2", DAY)]) == {("U0REP2", DAY)}


def test_days_off(store: Store) -> None:
    store.roster.sync_config([EAST], [], DAY)
    added = store.days_off.add("U0REP1", [DAY, date(2026, 12, 4)], created_by="U0REP1")
    again = store.days_off.add("U0REP1", [DAY], created_by="U0REP1")
    assert added == [DAY, date(2026, 12, 4)] and again == []
    assert store.days_off.among([("U0REP1", DAY), ("U0REP2", DAY)]) == {("U0REP1", DAY)}


def test_claims_are_exclusive_and_failures_retry_boundedly(store: Store) -> None:
    first = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW)
    assert first is not None
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=NOW) is None

    store.outbox.mark_failed(first, "ratelimited", final=False)
    assert store.outbox.decided("prompt", [("U0REP1", DAY)]) == set()
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=NOW) == first
    store.outbox.mark_sent(first, "D0REP1", "1.2", NOW)
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=NOW) is None
    assert store.outbox.find("prompt", "U0REP1", DAY).ts == "1.2"  # type: ignore[union-attr]

    assert store.outbox.record_skipped("reminder", "U0REP1", DAY, "too late")
    assert not store.outbox.record_skipped("reminder", "U0REP1", DAY, "too late")
    assert store.outbox.decided("reminder", [("U0REP1", DAY)]) == {("U0REP1", DAY)}


def test_records_show_how_each_message_went(store: Store) -> None:
    sent = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW)
    failing = store.outbox.claim("prompt", "U0REP2", DAY, now=NOW)
    assert sent is not None and failing is not None
    store.outbox.mark_sent(sent, "D0REP1", "1.2", NOW)
    store.outbox.mark_failed(failing, "ratelimited", final=False)
    store.outbox.record_skipped("prompt", "U0REP3", DAY, "too late")
    store.outbox.record_skipped("prompt", "U0REP1", date(2026, 12, 4), "too late")

    pairs = [("U0REP1", DAY), ("U0REP2", DAY), ("U0REP3", DAY), ("U0REP4", DAY)]
    rows = store.outbox.records("prompt", pairs)

    assert set(rows) == {("U0REP1", DAY), ("U0REP2", DAY), ("U0REP3", DAY)}
    assert rows["U0REP1", DAY].sent_at == NOW
    assert [given_up(rows[p]) for p in pairs[:3]] == [False, False, True]
    assert store.outbox.records("reminder", pairs) == {}

    for _ in range(MAX_ATTEMPTS - 1):
        store.outbox.claim("prompt", "U0REP2", DAY, now=NOW)
        store.outbox.mark_failed(failing, "ratelimited", final=False)
    assert given_up(store.outbox.records("prompt", pairs)["U0REP2", DAY])


def test_final_failure_is_not_retried(store: Store) -> None:
    message_id = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW)
    assert message_id is not None
    store.outbox.mark_failed(message_id, "user_not_found", final=True)
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=NOW) is None
    assert store.outbox.decided("prompt", [("U0REP1", DAY)]) == {("U0REP1", DAY)}


def test_the_last_attempt_is_given_up_and_says_so(store: Store) -> None:
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        message_id = store.outbox.claim("alert:1", "U0MGR1", DAY, now=NOW)
        assert message_id is not None
        outcomes.append(store.outbox.mark_failed(message_id, "service_unavailable", final=False))

    assert outcomes == [False] * (MAX_ATTEMPTS - 1) + [True]
    assert store.outbox.find("alert:1", "U0MGR1", DAY).status == GIVEN_UP  # type: ignore[union-attr]
    assert store.outbox.claim("alert:1", "U0MGR1", DAY, now=NOW) is None
    assert store.outbox.decided_kinds(["alert:1", "alert:2"], "U0MGR1", DAY) == {"alert:1"}


def test_unbounded_retries_stop_only_when_given_up_or_skipped(store: Store) -> None:
    for _ in range(MAX_ATTEMPTS + 2):
        message_id = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW, max_attempts=None)
        assert message_id is not None
        given = store.outbox.mark_failed(message_id, "timeout", final=False, max_attempts=None)
        assert not given
    pair = ("U0REP1", DAY)
    assert store.outbox.decided("prompt", [pair], max_attempts=None) == set()
    assert not given_up(store.outbox.records("prompt", [pair])[pair], max_attempts=None)

    assert store.outbox.record_skipped("prompt", "U0REP1", DAY, "past the grace window")
    row = store.outbox.find("prompt", "U0REP1", DAY)
    assert row is not None and row.status == SKIPPED
    assert row.detail == "past the grace window (last error: timeout)"
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=NOW, max_attempts=None) is None
    assert not store.outbox.record_skipped("prompt", "U0REP1", DAY, "past the grace window")


def test_a_final_failure_ends_unbounded_retries(store: Store) -> None:
    message_id = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW, max_attempts=None)
    assert message_id is not None
    assert store.outbox.mark_failed(message_id, "msg_too_long", final=True, max_attempts=None)
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=NOW, max_attempts=None) is None
    assert store.outbox.decided("prompt", [("U0REP1", DAY)], max_attempts=None) == {("U0REP1", DAY)}
    assert not store.outbox.record_skipped("prompt", "U0REP1", DAY, "too late")
    assert store.outbox.find("prompt", "U0REP1", DAY).status == GIVEN_UP  # type: ignore[union-attr]


def test_concurrent_saves_of_one_day_never_double_count(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store.roster.sync_config([EAST], [], DAY)
    cells = {("cold_call", "no_answer"): 12, ("demo", "won"): 1}

    def save() -> None:
        store.entries.set_day(
            "U0REP1", DAY, cells, changed_by="U0REP1", source="modal", now=NOW, replace_all=True
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(save) for _ in range(8)]:
            future.result()

    assert store.entries.day_counts("U0REP1", DAY) == cells
    assert len(store.entries.changes("U0REP1", DAY)) == 2


def test_concurrent_days_off_for_one_day_are_recorded_once(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    store.roster.sync_config([EAST], [], DAY)
    start = Barrier(4)

    def mark() -> list[date]:
        start.wait()
        return store.days_off.add("U0REP1", [DAY], created_by="U0REP1")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [future.result() for future in [pool.submit(mark) for _ in range(4)]]

    assert sorted(len(added) for added in results) == [0, 0, 0, 1]
    assert store.days_off.among([("U0REP1", DAY)]) == {("U0REP1", DAY)}


def test_sync_cursor_claims_are_exclusive_and_leased(store: Store) -> None:
    from datetime import timedelta

    seen = store.sync_cursors.current("users.list")
    assert not seen.running and seen.pages == 0

    held = store.sync_cursors.claim(seen, NOW, until=NOW + timedelta(minutes=10))
    assert held is not None and held.started_at == NOW and held.cursor is None
    assert store.sync_cursors.claim(seen, NOW, until=NOW + timedelta(minutes=10)) is None
    now_seen = store.sync_cursors.current("users.list")
    assert store.sync_cursors.claim(now_seen, NOW, until=NOW) is None, "held till 21:40"

    # The holder stalls past its lease: another worker takes over and the holder's writes miss.
    later = NOW + timedelta(minutes=10)
    taken = store.sync_cursors.claim(now_seen, later, until=later + timedelta(minutes=10))
    assert taken is not None and taken.started_at == NOW, "the same pass goes on"
    assert store.sync_cursors.advance(held, "dXNlcjpVMDE=") is None

    advanced = store.sync_cursors.advance(taken, "dXNlcjpVMDE=")
    assert advanced is not None and (advanced.cursor, advanced.pages) == ("dXNlcjpVMDE=", 1)
    finished = store.sync_cursors.finish(advanced)
    assert finished is not None and not finished.running and finished.pages == 2
    assert finished.claimed_until is None


def test_concurrent_sync_cursor_claims_have_one_winner(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from datetime import timedelta
    from threading import Barrier

    seen = store.sync_cursors.current("users.list")
    start = Barrier(4)

    def claim() -> bool:
        start.wait()
        return store.sync_cursors.claim(seen, NOW, until=NOW + timedelta(minutes=10)) is not None

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [future.result() for future in [pool.submit(claim) for _ in range(4)]]

    assert sorted(results) == [False, False, False, True]


def test_migrations_upgrade_a_database_at_0002(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.db import create_db_engine
    from storage.migrate import upgrade
    from storage.models import Base

    engine = create_db_engine(database_url)
    upgrade(engine, "0002")
    store = Store(engine)
    store.roster.sync_config([EAST], [], DAY)

    upgrade(engine)

    assert store.sync_cursors.current("users.list").pages == 0
    assert [r.slack_id for r in store.roster.active_reps()] == ["U0REP1", "U0REP2"]
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert not [diff for diff in diffs if "sync_cursors" in repr(diff)], "0003 builds the model"
    store.close()


def test_a_claim_outliving_its_lease_is_reopened_once(store: Store) -> None:
    from storage.outbox import ABANDONED, CLAIM_LEASE, FAILED, SENT

    message_id = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW, max_attempts=None)
    settled = store.outbox.claim("prompt", "U0REP2", DAY, now=NOW)
    assert message_id is not None and settled is not None
    store.outbox.mark_sent(settled, "D0REP2", "1.2", NOW)

    assert store.outbox.reopen_abandoned(NOW + CLAIM_LEASE) == [], "still within its lease"
    reopened = store.outbox.reopen_abandoned(NOW + CLAIM_LEASE + timedelta(seconds=1))
    assert reopened == [("prompt", "U0REP1", DAY)]
    assert store.outbox.reopen_abandoned(NOW + 2 * CLAIM_LEASE) == [], "reopened only once"

    row = store.outbox.find("prompt", "U0REP1", DAY)
    assert row is not None and (row.status, row.detail) == (FAILED, ABANDONED)
    later = NOW + CLAIM_LEASE + timedelta(minutes=1)
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=later, max_attempts=None) == message_id
    store.outbox.mark_sent(message_id, "D0REP1", "1.3", later)
    row = store.outbox.find("prompt", "U0REP1", DAY)
    assert row is not None and (row.status, row.attempts, row.lease_until) == (SENT, 2, None)


def test_a_try_that_may_have_reached_slack_stays_unconfirmed(store: Store) -> None:
    from storage.outbox import CLAIM_LEASE

    killed = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW, max_attempts=None)
    lost = store.outbox.claim("prompt", "U0REP2", DAY, now=NOW)
    refused = store.outbox.claim("reminder", "U0REP2", DAY, now=NOW)
    assert killed is not None and lost is not None and refused is not None

    store.outbox.mark_failed(lost, "HTTP 503 service_unavailable", final=False, unconfirmed_at=NOW)
    store.outbox.mark_failed(refused, "no_text", final=False)
    later = NOW + CLAIM_LEASE + timedelta(minutes=1)
    assert store.outbox.reopen_abandoned(later) == [("prompt", "U0REP1", DAY)]
    assert store.outbox.claim("prompt", "U0REP1", DAY, now=later, max_attempts=None) == killed
    assert store.outbox.claim("prompt", "U0REP2", DAY, now=later) == lost

    assert store.outbox.unconfirmed(killed) and store.outbox.unconfirmed(lost)
    assert not store.outbox.unconfirmed(refused)

    # A later try that failed for sure does not clear it: the first try may still be out.
    store.outbox.mark_failed(lost, "channel_not_found", final=False)
    row = store.outbox.find("prompt", "U0REP2", DAY)
    assert row is not None and row.unconfirmed_since == NOW


def test_a_released_claim_is_failed_as_before_with_its_attempt_returned(store: Store) -> None:
    message_id = store.outbox.claim("weekly_report:x", "U0MGR1", DAY, now=NOW)
    assert message_id is not None
    store.outbox.mark_failed(message_id, "HTTP 500 internal_error", final=False, unconfirmed_at=NOW)
    assert store.outbox.claim("weekly_report:x", "U0MGR1", DAY, now=NOW) == message_id

    store.outbox.release(message_id)

    row = store.outbox.find("weekly_report:x", "U0MGR1", DAY)
    assert row is not None
    assert (row.status, row.attempts, row.lease_until) == ("failed", 1, None)
    assert row.detail == "HTTP 500 internal_error" and store.outbox.unconfirmed(message_id)
    assert store.outbox.claim("weekly_report:x", "U0MGR1", DAY, now=NOW) == message_id


def test_a_persons_dm_is_where_their_latest_message_went(store: Store) -> None:
    assert store.outbox.dm_channel("U0REP1") is None

    first = store.outbox.claim("prompt", "U0REP1", DAY, now=NOW)
    second = store.outbox.claim("reminder", "U0REP1", DAY, now=NOW)
    failed = store.outbox.claim("nudge", "U0REP1", DAY, now=NOW)
    assert first is not None and second is not None and failed is not None
    store.outbox.mark_sent(first, "D0OLD0001", "1.1", NOW)
    store.outbox.mark_sent(second, "D0NEW0001", "1.2", NOW + timedelta(hours=2))
    store.outbox.mark_failed(failed, "HTTP 500 internal_error", final=False)

    assert store.outbox.dm_channel("U0REP1") == "D0NEW0001"
    assert store.outbox.dm_channel("U0REP2") is None


def test_migration_0004_gives_claims_pending_from_before_a_lease(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import insert

    from storage.db import create_db_engine
    from storage.migrate import upgrade
    from storage.models import Base, Message
    from storage.outbox import CLAIM_LEASE

    engine = create_db_engine(database_url)
    upgrade(engine, "0003")
    made = datetime(2026, 12, 3, 21, 30, tzinfo=UTC)
    columns = {"kind": "prompt", "local_date": DAY, "attempts": 1, "created_at": made}
    with engine.begin() as connection:
        connection.execute(
            insert(Message.__table__),
            [
                {**columns, "person_id": "U0REP1", "status": "pending"},
                {**columns, "person_id": "U0REP2", "status": "sent"},
            ],
        )

    upgrade(engine)

    store = Store(engine)
    assert store.outbox.find("prompt", "U0REP1", DAY).lease_until == made + CLAIM_LEASE  # type: ignore[union-attr]
    assert store.outbox.find("prompt", "U0REP2", DAY).lease_until is None  # type: ignore[union-attr]
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert not [diff for diff in diffs if "messages" in repr(diff)], "0004 builds the model"
    store.close()
