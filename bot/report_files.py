"""Write a weekly report to a folder: the Block Kit JSON, a Markdown copy and the chart PNGs."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.report import TeamReport
from metrics.charts_render import slug

logger = logging.getLogger(__name__)

MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")
LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>")
BOLD = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])")


def write_report(report: TeamReport, out_dir: Path) -> list[Path]:
    """Write `<slug>-<week>-summary.json` (paste into Block Kit Builder), `-summary.md` and
    each chart under its own filename; returns the paths written, summary first.

    Files of the same name are overwritten, so running it twice for one week is harmless.
    Raises OSError when the folder cannot be created or written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{slug(report.team)}-{report.week}-summary"

    summary = out_dir / f"{stem}.json"
    summary.write_text(
        json.dumps(report.message, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    markdown = out_dir / f"{stem}.md"
    markdown.write_text(summary_markdown(report), encoding="utf-8")

    written = [summary, markdown]
    for chart in report.charts:
        path = out_dir / chart.filename
        path.write_bytes(chart.png)
        written.append(path)

    logger.info("Wrote the %s report for %s to %s", report.week, report.team, out_dir)
    return written


def summary_markdown(report: TeamReport) -> str:
    """The summary message as Markdown, mentions shown as names, charts linked as images."""
    lines: list[str] = []
    for block in report.message["blocks"]:
        lines.extend(_block_lines(block, report.names))
        lines.append("")

    lines.extend(f"![{chart.alt_text}]({chart.filename})" for chart in report.charts)
    return "\n".join(lines).rstrip() + "\n"


def _block_lines(block: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    kind = block["type"]
    if kind == "header":
        return [f"# {block['text']['text']}"]
    if kind == "divider":
        return ["---"]
    if kind == "context":
        return [f"_{_markdown(element['text'], names)}_" for element in block["elements"]]
    if "fields" in block:
        return [
            f"- {_markdown(field['text'].replace(chr(10), ': ', 1), names)}"
            for field in block["fields"]
        ]
    return [_markdown(block["text"]["text"], names)]


def _markdown(mrkdwn: str, names: Mapping[str, str]) -> str:
    """Slack mrkdwn as Markdown: *bold* to **bold**, <url|text> links, bullets, entities."""
    text = MENTION.sub(lambda m: f"@{names.get(m[1], m[1])}", mrkdwn)
    text = LINK.sub(lambda m: f"[{m[2]}]({m[1]})", text)
    text = BOLD.sub(r"**\1**", text)
    text = text.replace("• ", "- ").replace(":warning:", "⚠")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "  \n".join(text.split("\n"))  # Markdown needs two spaces for a line break
