"""File uploads: slack_sdk's files_upload_v2 end to end against the stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn

MANAGER = "U0MGR00001"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.add_user(MANAGER, real_name="Mia Stone")
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def test_files_upload_v2_shares_the_file_into_the_dm(
    client: WebClient, slack: SlackStandIn
) -> None:
    channel = client.conversations_open(users=MANAGER)["channel"]["id"]

    answer = client.files_upload_v2(
        channel=channel,
        content=PNG,
        filename="weekly.png",
        title="Calls this week",
        alt_txt="Bar chart of calls per rep",
        initial_comment="Your weekly report",
    )

    [upload] = slack.uploads(MANAGER)
    assert answer["file"]["id"] == upload.file_id
    assert (upload.filename, upload.title, upload.alt_txt) == (
        "weekly.png",
        "Calls this week",
        "Bar chart of calls per rep",
    )
    assert (upload.content, upload.channels, upload.initial_comment) == (
        PNG,
        [channel],
        "Your weekly report",
    )
    [message] = slack.dm_messages(MANAGER)
    assert message["text"] == "Your weekly report"
    assert message["files"][0]["id"] == upload.file_id
    assert [call.method for call in slack.calls] == [
        "conversations.open",
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]


def test_files_info_describes_a_shared_file(client: WebClient, slack: SlackStandIn) -> None:
    channel = slack.dm_channel(MANAGER)
    file_id = client.files_upload_v2(channel=channel, content=PNG, filename="a.png")["file"]["id"]

    info = client.files_info(file=file_id)["file"]

    assert (info["name"], info["mimetype"], info["size"], info["ims"]) == (
        "a.png",
        "image/png",
        len(PNG),
        [channel],
    )


def test_complete_upload_refuses_a_user_id_as_channel(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.files_upload_v2(channel=MANAGER, content=PNG, filename="a.png")

    assert raised.value.response["error"] == "invalid_arguments"
    assert "json-pointer:/channel_id" in raised.value.response["response_metadata"]["messages"][0]


def test_complete_upload_needs_uploaded_bytes(client: WebClient, slack: SlackStandIn) -> None:
    started = client.files_getUploadURLExternal(filename="a.png", length=3)

    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(
            files=[{"id": started["file_id"]}], channel_id=slack.dm_channel(MANAGER)
        )

    assert raised.value.response["error"] == "file_not_found"


def test_get_upload_url_wants_filename_and_length(slack: SlackStandIn, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("files.getUploadURLExternal", params={"filename": "a.png"})

    assert raised.value.response["error"] == "missing_argument"


def test_complete_upload_shares_into_each_of_channels(
    client: WebClient, slack: SlackStandIn
) -> None:
    slack.add_channel("C0SALES001", "sales")

    answer = client.files_upload_v2(
        channels=[MANAGER, "C0SALES001"], content=PNG, filename="a.png", initial_comment="Chart"
    )

    dm = slack.dm_channel(MANAGER)
    [upload] = slack.uploads(MANAGER)
    assert upload.channels == [dm, "C0SALES001"]
    assert slack.uploads("C0SALES001") == [upload]
    assert (answer["file"]["ims"], answer["file"]["channels"]) == ([dm], ["C0SALES001"])
    for channel in (dm, "C0SALES001"):
        [message] = slack.messages(channel)
        assert (message["subtype"], message["text"]) == ("file_share", "Chart")
        assert message["files"][0]["id"] == upload.file_id


def test_complete_upload_refuses_an_unknown_entry_of_channels(
    client: WebClient, slack: SlackStandIn
) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.files_upload_v2(channels=[MANAGER, "C0NOWHERE1"], content=PNG, filename="a.png")

    assert raised.value.response["error"] == "invalid_channel"
    assert slack.uploads(MANAGER) == [] and slack.dm_messages(MANAGER) == []


def test_complete_upload_takes_at_most_100_channels(client: WebClient, slack: SlackStandIn) -> None:
    started = client.files_getUploadURLExternal(filename="a.png", length=len(PNG))
    too_many = [slack.dm_channel(MANAGER)] * 101

    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(files=[{"id": started["file_id"]}], channels=too_many)

    assert raised.value.response["error"] == "channels_limit_exceeded"
