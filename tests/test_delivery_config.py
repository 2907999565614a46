"""`checkin check-config` refuses a reminder that would not follow its prompt on the same day."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.test_cli import checkin


def check_schedule(tmp_path: Path, **schedule: object) -> tuple[int, str]:
    config = yaml.safe_load((REPO / "app.yaml").read_text())
    config["schedule"].update(schedule)
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(config))
    result = checkin("check-config", env={**os.environ, "CHECKIN_CONFIG": str(path)})
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def test_a_reminder_past_midnight_is_refused(tmp_path: Path) -> None:
    code, errors = check_schedule(tmp_path, checkin_time="20:00", reminder_delay_minutes=300)

    assert code == 2
    assert "schedule.reminder_delay_minutes = 300" in errors
    assert "at 01:00, past midnight" in errors
    assert "at most 239 minutes, or an earlier checkin_time" in errors


@pytest.mark.parametrize("delay", [0, 14, -5])
def test_a_reminder_right_after_the_prompt_is_refused(tmp_path: Path, delay: int) -> None:
    code, errors = check_schedule(tmp_path, reminder_delay_minutes=delay)

    assert code == 2
    assert f"schedule.reminder_delay_minutes = {delay}" in errors
    assert "at least 15 minutes" in errors and "use 15 or more" in errors


@pytest.mark.parametrize(("at", "delay"), [("20:00", 239), ("16:30", 15), ("08:00", 720)])
def test_a_reminder_later_the_same_day_is_accepted(tmp_path: Path, at: str, delay: int) -> None:
    assert check_schedule(tmp_path, checkin_time=at, reminder_delay_minutes=delay)[0] == 0
