"""Who is due when: each rep's own time zone, DST days, holidays, days off, grace window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.due import Kind, find_due, first_day_for_newcomer
from bot.runtime import newcomers_first_days, team_specs
from bot.services import Services
from bot.settings import Settings
from storage.roster import Profile, TeamSpec
from storage.store import Store

# When the tests below make their claims; a lease matters to none of them.
CLAIMED_AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def make_settings(**schedule: object) -> Settings:
    return Settings.model_validate(
        {
            "schedule": {"workdays": EVERY_DAY, **schedule},
            "teams": [
                {
                    "name": "East",
                    "manager": "U0MGR1",
                    "reps": ["U0NY", "U0KTM", "U0AKL"],
                    "country": "US",
                    "timezone": "America/New_York",
                },
                {
                    "name": "London",
                    "manager": "U0MGR2",
                    "reps": ["U0LDN"],
                    "country": "GB",
                    "timezone": "Europe/London",
                },
            ],
        }
    )


def setup(store: Store, settings: Settings) -> None:
    store.roster.sync_config(team_specs(settings), [], date(2026, 1, 1))
    store.roster.apply_profiles(
        [
            Profile("U0NY", "Nia", "America/New_York", False),
            Profile("U0KTM", "Kiran", "Asia/Kathmandu", False),
            Profile("U0AKL", "Aroha", "Pacific/Auckland", False),
            Profile("U0LDN", "Lee", None, False),  # no Slack tz: the team's zone applies
        ],
        datetime(2026, 1, 1, tzinfo=UTC),
    )


def due_now(store: Store, settings: Settings, now: datetime) -> set[tuple[str, str, date]]:
    due, _ = find_due(now, settings, store, store.roster.active_reps())
    return {(d.kind.value, d.rep.slack_id, d.day) for d in due}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_spring_forward_day_in_new_york(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    # 2026-03-08: clocks go 02:00 -> 03:00; 16:30 EDT is 20:30 UTC, not 21:30.
    assert ("prompt", "U0NY", date(2026, 3, 8)) not in due_now(
        store, settings, at("2026-03-08T20:29")
    )
    assert ("prompt", "U0NY", date(2026, 3, 8)) in due_now(store, settings, at("2026-03-08T20:30"))


def test_fall_back_day_in_new_york(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    # 2026-11-01: clocks go 02:00 -> 01:00; 16:30 EST is 21:30 UTC.
    assert ("prompt", "U0NY", date(2026, 11, 1)) not in due_now(
        store, settings, at("2026-11-01T21:29")
    )
    assert ("prompt", "U0NY", date(2026, 11, 1)) in due_now(store, settings, at("2026-11-01T21:30"))


def test_time_skipped_by_dst_is_sent_after_the_gap_once(store: Store) -> None:
    settings = make_settings(checkin_time="02:30", reminder_delay_minutes=600)
    setup(store, settings)
    # 02:30 does not exist on 2026-03-08 in New York; it falls due at 03:30 EDT (07:30 UTC).
    assert ("prompt", "U0NY", date(2026, 3, 8)) not in due_now(
        store, settings, at("2026-03-08T06:59")
    )
    assert ("prompt", "U0NY", date(2026, 3, 8)) in due_now(store, settings, at("2026-03-08T07:30"))


def test_time_repeated_by_dst_is_claimed_once(store: Store) -> None:
    settings = make_settings(checkin_time="01:30", reminder_delay_minutes=600)
    setup(store, settings)
    # 01:30 happens twice on 2026-11-01; the first (EDT, 05:30 UTC) counts.
    assert ("prompt", "U0NY", date(2026, 11, 1)) in due_now(store, settings, at("2026-11-01T05:30"))
    assert store.outbox.claim("prompt", "U0NY", date(2026, 11, 1), now=CLAIMED_AT) is not None
    assert ("prompt", "U0NY", date(2026, 11, 1)) not in due_now(
        store, settings, at("2026-11-01T06:30")
    )


def test_quarter_hour_zone(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    # Kathmandu is UTC+05:45: 16:30 local is 10:45 UTC.
    assert ("prompt", "U0KTM", date(2026, 12, 3)) not in due_now(
        store, settings, at("2026-12-03T10:44")
    )
    assert ("prompt", "U0KTM", date(2026, 12, 3)) in due_now(
        store, settings, at("2026-12-03T10:45")
    )


def test_rep_across_the_date_line_from_their_manager(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    # 03:30 UTC on Dec 3 is 16:30 on Dec 3 in Auckland (UTC+13) but 22:30 Dec 2 in New York.
    due = due_now(store, settings, at("2026-12-03T03:30"))
    assert ("prompt", "U0AKL", date(2026, 12, 3)) in due
    assert not any(rep == "U0NY" and day == date(2026, 12, 3) for _, rep, day in due)


def test_team_zone_used_when_slack_has_none(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    assert ("prompt", "U0LDN", date(2026, 12, 3)) in due_now(
        store, settings, at("2026-12-03T16:30")
    )
    assert ("prompt", "U0LDN", date(2026, 12, 3)) not in due_now(
        store, settings, at("2026-12-03T16:29")
    )


def test_public_holiday_of_the_team_country(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    # US Thanksgiving: nothing for New York at its usual 16:30 EST (21:30 UTC) ...
    assert not any(rep == "U0NY" for _, rep, _ in due_now(store, settings, at("2026-11-26T21:45")))
    # ... while London works as usual.
    assert ("prompt", "U0LDN", date(2026, 11, 26)) in due_now(
        store, settings, at("2026-11-26T17:00")
    )


def test_weekend_skipped_with_default_workdays(store: Store) -> None:
    settings = Settings.model_validate(
        {"teams": [{"name": "East", "manager": "U0MGR1", "reps": ["U0NY"]}]}
    )
    setup(store, settings)
    assert due_now(store, settings, at("2026-12-05T22:00")) == set()  # a Saturday
    assert ("prompt", "U0NY", date(2026, 12, 4)) in due_now(store, settings, at("2026-12-04T22:00"))


def test_day_off_skips_prompt_and_reminder(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    store.days_off.add("U0NY", [date(2026, 12, 3)], created_by="U0NY")
    assert not any(rep == "U0NY" for _, rep, _ in due_now(store, settings, at("2026-12-03T23:30")))


def sent_prompt(store: Store, rep: str, day: date, when: datetime) -> None:
    message_id = store.outbox.claim("prompt", rep, day, now=CLAIMED_AT)
    assert message_id is not None
    store.outbox.mark_sent(message_id, "D0" + rep, "1.1", when)


def test_reminder_after_delay_unless_checked_in(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    assert ("reminder", "U0NY", date(2026, 12, 3)) not in due_now(
        store, settings, at("2026-12-03T23:30")
    ), "no reminder before its prompt was sent"
    sent_prompt(store, "U0NY", date(2026, 12, 3), at("2026-12-03T21:30"))

    assert ("reminder", "U0NY", date(2026, 12, 3)) not in due_now(
        store, settings, at("2026-12-03T23:29")
    )
    assert ("reminder", "U0NY", date(2026, 12, 3)) in due_now(
        store, settings, at("2026-12-03T23:30")
    )

    store.entries.set_day(
        "U0NY",
        date(2026, 12, 3),
        {},
        changed_by="U0NY",
        source="modal",
        now=at("2026-12-03T23:00"),
        replace_all=True,
    )
    assert ("reminder", "U0NY", date(2026, 12, 3)) not in due_now(
        store, settings, at("2026-12-03T23:30")
    )


@pytest.mark.parametrize(("minutes_late", "late"), [(119, False), (120, True), (300, True)])
def test_grace_window(store: Store, minutes_late: int, late: bool) -> None:
    settings = make_settings()
    setup(store, settings)
    due_at = at("2026-12-03T21:30")
    now = due_at + timedelta(minutes=minutes_late)
    due, skipped = find_due(now, settings, store, store.roster.active_reps())
    ny_due = [d for d in due if d.rep.slack_id == "U0NY" and d.kind is Kind.PROMPT]
    ny_late = [d for d in skipped if d.rep.slack_id == "U0NY" and d.kind is Kind.PROMPT]
    assert (bool(ny_late), bool(ny_due)) == (late, not late)


def test_reminder_counts_its_delay_from_a_late_prompt(store: Store) -> None:
    settings = make_settings(grace_minutes=180, reminder_delay_minutes=60)
    setup(store, settings)
    sent_prompt(store, "U0NY", date(2026, 12, 3), at("2026-12-03T23:45"))  # 135 min late

    assert ("reminder", "U0NY", date(2026, 12, 3)) not in due_now(
        store, settings, at("2026-12-03T23:45")
    ), "not in the tick that sent the prompt, though 17:30 local has passed"
    assert ("reminder", "U0NY", date(2026, 12, 3)) not in due_now(
        store, settings, at("2026-12-04T00:44")
    )
    assert ("reminder", "U0NY", date(2026, 12, 3)) in due_now(
        store, settings, at("2026-12-04T00:45")
    )


def test_reminder_keeps_its_local_time_across_a_fall_back(store: Store) -> None:
    settings = make_settings(checkin_time="01:30", reminder_delay_minutes=600)
    setup(store, settings)
    # 01:30 EDT (05:30Z) + 10 h is 15:30Z, but 11:30 local on 2026-11-01 is 16:30Z (EST).
    sent_prompt(store, "U0NY", date(2026, 11, 1), at("2026-11-01T05:30"))
    assert ("reminder", "U0NY", date(2026, 11, 1)) not in due_now(
        store, settings, at("2026-11-01T16:29")
    )
    assert ("reminder", "U0NY", date(2026, 11, 1)) in due_now(
        store, settings, at("2026-11-01T16:30")
    )


def test_reminder_waits_for_a_prompt_being_retried(store: Store) -> None:
    settings = make_settings(grace_minutes=180)
    setup(store, settings)
    message_id = store.outbox.claim("prompt", "U0NY", date(2026, 12, 3), now=CLAIMED_AT)
    assert message_id is not None
    store.outbox.mark_failed(message_id, "TimeoutError: timed out", final=False)

    due, late = find_due(at("2026-12-03T23:30"), settings, store, store.roster.active_reps())

    assert [(d.kind, d.rep.slack_id) for d in due + late if d.rep.slack_id == "U0NY"] == [
        (Kind.PROMPT, "U0NY")
    ], "the prompt is retried; its reminder waits"


def test_no_reminder_for_a_prompt_that_failed_for_good(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    message_id = store.outbox.claim("prompt", "U0NY", date(2026, 12, 3), now=CLAIMED_AT)
    assert message_id is not None
    store.outbox.mark_failed(message_id, "msg_too_long", final=True)

    due, late = find_due(at("2026-12-03T23:30"), settings, store, store.roster.active_reps())

    reminders = [d for d in late if d.kind is Kind.REMINDER and d.rep.slack_id == "U0NY"]
    assert [d.reason for d in reminders] == ["its prompt was not sent"]
    assert not [d for d in due if d.rep.slack_id == "U0NY"]


def test_yesterdays_prompt_is_due_after_local_midnight(store: Store) -> None:
    settings = make_settings(checkin_time="23:30", reminder_delay_minutes=15)
    setup(store, settings)
    # 2026-06-11T04:15Z is 00:15 on June 11 in New York; June 10's 23:30 was 45 min ago.
    assert ("prompt", "U0NY", date(2026, 6, 10)) in due_now(store, settings, at("2026-06-11T04:15"))

    due, late = find_due(at("2026-06-11T06:00"), settings, store, store.roster.active_reps())
    assert ("U0NY", date(2026, 6, 10)) in {(d.rep.slack_id, d.day) for d in late}
    assert not [d for d in due if d.rep.slack_id == "U0NY"]


def test_a_prompt_that_keeps_failing_is_due_until_its_grace_window_ends(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    day = date(2026, 12, 3)
    for _ in range(5):  # more failures than the bounded kinds' attempts
        message_id = store.outbox.claim("prompt", "U0NY", day, now=CLAIMED_AT, max_attempts=None)
        assert message_id is not None
        store.outbox.mark_failed(message_id, "service_unavailable", final=False, max_attempts=None)

    assert ("prompt", "U0NY", day) in due_now(store, settings, at("2026-12-03T23:29"))
    due, late = find_due(at("2026-12-03T23:30"), settings, store, store.roster.active_reps())
    assert [(d.kind, d.day) for d in late if d.rep.slack_id == "U0NY"] == [
        (Kind.PROMPT, day),
        (Kind.REMINDER, day),
    ], "skipped at the end of the window, and its reminder with it"
    assert not [d for d in due if d.rep.slack_id == "U0NY"]


def test_a_reminder_is_due_in_the_reps_own_zone(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    sent_prompt(store, "U0NY", date(2026, 12, 3), at("2026-12-03T22:30:05"))

    due, _ = find_due(at("2026-12-04T00:31"), settings, store, store.roster.active_reps())

    reminder = next(d for d in due if d.kind is Kind.REMINDER and d.rep.slack_id == "U0NY")
    assert str(reminder.due_at.tzinfo) == "America/New_York"
    assert reminder.due_at.isoformat() == "2026-12-03T19:30:05-05:00"


@pytest.mark.parametrize(
    ("now", "tz", "first"),
    [
        ("2026-12-02T23:00", "Asia/Tokyo", date(2026, 12, 3)),  # Thursday 08:00 there
        ("2026-12-02T23:00", "America/New_York", date(2026, 12, 2)),  # 18:00: within grace
        ("2026-12-02T23:31", "America/New_York", date(2026, 12, 3)),  # 18:31: the prompt is over
    ],
)
def test_a_newcomer_counts_from_the_first_day_a_prompt_can_reach_them(
    now: str, tz: str, first: date
) -> None:
    assert first_day_for_newcomer(at(now), ZoneInfo(tz), make_settings()) == first


def test_reps_added_to_app_yaml_join_on_their_own_date(store: Store) -> None:
    settings = make_settings()
    setup(store, settings)
    now = at("2026-12-02T20:00")  # Wednesday 15:00 in New York

    first_days = newcomers_first_days(Services(settings=settings, store=store, clock=lambda: now))
    assert first_days == {
        "U0NY": date(2026, 12, 2),
        "U0KTM": date(2026, 12, 3),  # 01:45 on Thursday, by the cached Slack zone
        "U0AKL": date(2026, 12, 3),
        "U0LDN": date(2026, 12, 3),  # no Slack zone: London's 20:00, past the prompt's grace
    }

    joiner = TeamSpec("East", "U0MGR1", ["U0NY", "U0KTM", "U0AKL", "U0NEW"], "US", "UTC")
    store.roster.sync_config([joiner], [], first_days | {"U0NEW": date(2026, 12, 3)})
    joined = {row.slack_id: row.joined_on for row in store.roster.active_reps()}
    assert joined == {
        "U0NY": date(2026, 1, 1),  # already on the team: unchanged
        "U0KTM": date(2026, 1, 1),
        "U0AKL": date(2026, 1, 1),
        "U0NEW": date(2026, 12, 3),
    }
