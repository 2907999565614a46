"""The `checkin` command as an operator runs it: real processes, environment, exit codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from bot.sandbox import SlackDriver, SlackStandIn
from tests.conftest import REPO

SECRET = "cli-signing-secret"


def checkin(
    *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def env(database_url: str, standin: SlackStandIn) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CHECKIN_CONFIG": str(REPO / "app.yaml"),
        "SLACK_API_URL": standin.api_url,
        "SLACK_BOT_TOKEN": standin.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
    }


def test_check_config_accepts_the_example(env: dict[str, str]) -> None:
    result = checkin("check-config", env=env)
    assert result.returncode == 0
    assert "is valid" in result.stdout


def test_check_config_names_key_value_and_fix(env: dict[str, str], tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / "app.yaml").read_text())
    config["teams"][0]["timezone"] = "Mars/Olympus"
    config["schedule"]["checkin_time"] = "25:00"
    bad = tmp_path / "app.yaml"
    bad.write_text(yaml.safe_dump(config))

    result = checkin("check-config", env={**env, "CHECKIN_CONFIG": str(bad)})

    assert result.returncode == 2
    assert "teams[0].timezone = 'Mars/Olympus'" in result.stderr
    assert "IANA time zone" in result.stderr
    assert "schedule.checkin_time = '25:00'" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_token_is_explained(env: dict[str, str]) -> None:
    result = checkin("tick", env={k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"})
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr


def test_tick_at_an_instant_sends_the_prompts_due(
    env: dict[str, str], standin: SlackStandIn
) -> None:
    result = checkin("tick", "--now", "2026-12-03T21:30Z", env=env)

    assert result.returncode == 0, result.stderr
    assert len(standin.dm_messages("U01REP0001")) == 1
    again = checkin("tick", "--now", "2026-12-03T21:31Z", env=env)
    assert again.returncode == 0
    assert len(standin.dm_messages("U01REP0001")) == 1


def test_export_then_import_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    csv_file = tmp_path / "history.csv"
    csv_file.write_text(
        "date,rep,team,call_type,outcome,count\n"
        "2026-11-30,U01REP0001,East,cold_call,no_answer,12\n"
        "2026-11-30,U01REP0001,East,demo,meeting_booked,2\n"
        "2026-11-31,U01REP0001,East,demo,won,1\n"
        "2026-12-01,U09NOBODY,East,demo,won,1\n"
        "2026-12-01,U01REP0002,East,banana,won,1\n"
        "2026-12-01,U01REP0002,East,demo,won,-1\n"
    )

    first = checkin("import", str(csv_file), env=env)
    assert first.returncode == 1  # some rows were rejected
    assert "2 of 6 rows imported" in first.stdout
    for line in (4, 5, 6, 7):
        assert f"history.csv:{line}: rejected" in first.stderr

    second = checkin("import", str(csv_file), env=env)
    assert "(0 cells changed)" in second.stdout, "importing the same file twice changes nothing"

    exported = checkin("export", "--since", "2026-11-01", env=env)
    assert exported.returncode == 0
    assert exported.stdout.splitlines() == [
        "date,rep,team,call_type,outcome,count",
        "2026-11-30,U01REP0001,East,cold_call,no_answer,12",
        "2026-11-30,U01REP0001,East,demo,meeting_booked,2",
    ]


def test_import_names_the_line_a_record_starts_on_and_checks_team_and_sums(
    env: dict[str, str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "history.csv"
    csv_file.write_text(
        "date,rep,team,call_type,outcome,count\n"  # line 1
        "2026-11-30,U01REP0001,East,cold_call,no_answer,12\n"  # 2
        "\n"  # 3: blank
        '2026-11-30,U01REP0001,"East\n'  # 4: a quoted field over two lines
        '",demo,won,1\n'  # 5
        "2026-11-31,U01REP0001,East,demo,won,1\n"  # 6: no such day
        "2026-12-01,U01REP0001,West,demo,won,1\n"  # 7: Nia is on East
        "2026-12-01,U01REP0002,East,cold_call,no_answer,150\n"  # 8: with 9, 300 > 200
        "2026-12-01,U01REP0002,East,cold_call,no_answer,150\n"  # 9
        "2026-12-01,U01REP0002,,demo,won,2\n"  # 10: a blank team is fine
    )

    result = checkin("import", str(csv_file), env=env)

    assert result.returncode == 1
    assert "3 of 7 rows imported" in result.stdout
    rejected = [line for line in result.stderr.splitlines() if ": rejected: " in line]
    assert [line.split(":")[1] for line in rejected] == ["6", "7", "8", "9"]
    assert "bad date '2026-11-31'" in rejected[0]
    assert "U01REP0001 is on team 'East' in app.yaml, not 'West'" in rejected[1]
    assert "lines 8, 9 add up to 300 cold_call/no_answer for U01REP0002" in rejected[2]
    assert "more than the 200 a cell may hold" in rejected[3]

    exported = checkin("export", "--since", "2026-11-01", env=env)
    assert exported.stdout.splitlines()[1:] == [
        "2026-11-30,U01REP0001,East,cold_call,no_answer,12",
        "2026-11-30,U01REP0001,East,demo,won,1",
        "2026-12-01,U01REP0002,East,demo,won,2",
    ]


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *says: str) -> None:
    """Exit code 2 and one line on stderr (besides log lines), no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if " INFO " not in line]
    assert len(lines) == 1, result.stderr
    for text in says:
        assert text in lines[0]


def test_import_of_an_excel_windows_file_says_to_save_as_utf8(
    env: dict[str, str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "excel.csv"
    csv_file.write_bytes(
        "date,rep,team,call_type,outcome,count\n"
        "2026-11-30,U01REP0001,Zürich,cold_call,no_answer,12\n".encode("cp1252")
    )

    result = checkin("import", str(csv_file), env=env)

    assert_one_clear_line(result, "excel.csv is not UTF-8", '"CSV UTF-8 (Comma delimited)"')
    assert "Nothing imported" in result.stderr


def test_import_of_a_missing_file_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    result = checkin("import", str(tmp_path / "nope.csv"), env=env)

    assert_one_clear_line(result, "Cannot read", "nope.csv", "No such file or directory")


def test_export_into_a_missing_folder_is_one_line(env: dict[str, str]) -> None:
    result = checkin("export", "--out", "/nonexistent/x.csv", env=env)

    assert_one_clear_line(result, "Cannot write /nonexistent/x.csv", "No such file or directory")


def test_report_into_an_unwritable_folder_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    result = checkin(
        "report", "--team", "East", "--week", "2026-W48", "--out", str(blocker), env=env
    )

    assert_one_clear_line(result, f"Cannot write the report to {blocker}")


def test_manifest_is_yaml_with_the_commands(env: dict[str, str]) -> None:
    result = checkin("manifest", env=env)
    manifest = yaml.safe_load(result.stdout)
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert "/checkin" in commands
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_db_upgrade(env: dict[str, str]) -> None:
    assert checkin("db", "upgrade", env=env).returncode == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_healthz_and_signed_commands(
    env: dict[str, str], standin: SlackStandIn
) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-scheduler",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)

        driver = SlackDriver(standin, signing_secret=SECRET, bot_url=f"{base}/slack/events")
        answer = driver.slash_command("U01REP0001", "/checkin", "help")
        assert answer.status == 200 and "/checkin" in answer.text
        assert driver.slash_command("U01REP0001", "/checkin", "help", signature="bad").status == 401
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "Listening on" in output
    assert standin.bot_token not in output and SECRET not in output


def test_report_renders_pngs_and_block_kit_locally(env: dict[str, str], tmp_path: Path) -> None:
    result = checkin(
        "report", "--team", "East", "--week", "2026-W48", "--out", str(tmp_path), env=env
    )

    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "east-2026-W48-summary.json" in written
    assert sum(name.endswith(".png") for name in written) == 4
    assert all(
        (tmp_path / n).read_bytes().startswith(b"\x89PNG") for n in written if n.endswith(".png")
    )

    unknown = checkin("report", "--team", "Nowhere", env=env)
    assert unknown.returncode == 2 and "East, West, EMEA" in unknown.stderr
    ahead = checkin("report", "--team", "East", "--week", "2099-W01", env=env)
    assert ahead.returncode == 2 and "still has workdays to come" in ahead.stderr


def test_run_connects_in_socket_mode_and_answers(
    env: dict[str, str], standin: SlackStandIn
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--no-scheduler"],
        env={**env, "SLACK_APP_TOKEN": standin.app_token},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        standin.socket_mode.wait_for_client(timeout=30)
        driver = SlackDriver(standin, signing_secret="", transport="socket")
        answer = driver.slash_command("U01REP0001", "/checkin", "help")
        assert "/checkin" in answer.text
    finally:
        standin.socket_mode.close_connections()
        process.terminate()
        output, _ = process.communicate(timeout=15)
    assert "Socket Mode" in output
    assert standin.app_token not in output and standin.bot_token not in output


def test_sigterm_ends_a_paced_tick_cleanly_and_the_next_tick_sends_the_rest(
    env: dict[str, str], standin: SlackStandIn, tmp_path: Path
) -> None:
    config = yaml.safe_load((REPO / "app.yaml").read_text())
    config["delivery"]["posts_per_minute"] = 2  # 30 s between posts: the tick is still busy
    slow = tmp_path / "app.yaml"
    slow.write_text(yaml.safe_dump(config))
    due_at_2130 = ["U01REP0001", "U01REP0002"]  # East, 16:30 in New York

    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "tick", "--now", "2026-12-03T21:30Z"],
        env={**env, "CHECKIN_CONFIG": str(slow)},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not any(standin.dm_messages(rep) for rep in due_at_2130):
        assert time.monotonic() < deadline and process.poll() is None, "no prompt was sent"
        time.sleep(0.1)
    process.terminate()
    output, _ = process.communicate(timeout=10)  # well before the 30 s pacing interval

    assert process.returncode == 0, output
    assert "SIGTERM received" in output and "stopped for shutdown" in output
    assert sum(len(standin.dm_messages(rep)) for rep in due_at_2130) == 1

    after = checkin("tick", "--now", "2026-12-03T21:31Z", env=env)
    assert after.returncode == 0, after.stderr
    assert [len(standin.dm_messages(rep)) for rep in due_at_2130] == [1, 1]
