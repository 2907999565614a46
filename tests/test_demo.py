"""`checkin demo` as README's first command runs it: a real process, no Slack credentials."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_demo_runs_offline_and_writes_a_transcript_with_charts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    out = tmp_path / "demo-output"

    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--weeks", "1", "--out", str(out)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    transcript = out / "transcript.md"
    assert f"Demo transcript written to {transcript}" in result.stdout + result.stderr
    text = transcript.read_text(encoding="utf-8")
    assert "Time to log your calls" in text
    assert "Saved the form" in text and ":white_check_mark: Logged for" in text
    assert re.search(r"\*\*\w+ — week \d{4}-W\d\d", text)  # a manager's weekly report
    assert ":bar_chart: *Stats for East, week" in text  # a manager's /stats
    assert "As a rep you can see only your own numbers" in text  # a rep's refused /stats
    assert "saw on the Home tab" in text

    charts = [out / path for path in re.findall(r"\]\((charts/[^)]+\.png)\)", text)]
    assert charts and all(path.read_bytes()[:8] == PNG_SIGNATURE for path in charts)
    assert not list(tmp_path.glob("*.db")), "the demo keeps its database in a temporary folder"
    log = result.stdout + result.stderr
    assert "xoxb-sandbox" not in log  # the stand-in's bot token
    assert "didn't call ack" not in log, "every click and command was answered in time"
    assert "Traceback" not in log and "Could not open the check-in form" not in log
