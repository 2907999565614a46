"""Text as Slack sends it: commands carry `&`, `<` and `>` as HTML entities."""

from __future__ import annotations


def slack_unescape(text: str) -> str:
    """The text as typed: Slack escapes &, < and > in a command's text; a name may hold them.

    Read mentions (<@U…>) before calling this, so an escaped "&lt;@U…&gt;" stays plain text.
    """
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
