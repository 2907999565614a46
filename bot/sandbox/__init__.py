"""A local stand-in of Slack for tests and `checkin demo`: Web API, Socket Mode and a driver.

SlackStandIn serves Slack's Web API on 127.0.0.1 and checks each call as Slack would
(tokens, arguments, Block Kit, rate limits); SlackDriver plays the people, delivering slash
commands, clicks, modal submissions and events to the bot, signed as Slack signs them.
The rules come from distilled data files in bot/sandbox/data, each naming its sources.
"""

from __future__ import annotations

from bot.sandbox.clock import ManualClock
from bot.sandbox.driver import SlackDriver
from bot.sandbox.forms import input_blocks, number_inputs, state_values, submission_problems
from bot.sandbox.signing import sign, signed_headers
from bot.sandbox.standin import SlackStandIn
from bot.sandbox.transport import DriverResponse
from bot.sandbox.workspace import ApiCall, Upload

__all__ = [
    "ApiCall",
    "DriverResponse",
    "ManualClock",
    "SlackDriver",
    "SlackStandIn",
    "Upload",
    "input_blocks",
    "number_inputs",
    "sign",
    "signed_headers",
    "state_values",
    "submission_problems",
]
