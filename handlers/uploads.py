"""Slack's external upload flow, one resumable step per call (the deliverer's side: bot/delivery/uploads.py).

Step "new": files.getUploadURLExternal (filename, length, alt_txt) reserves the file; the answer's
upload_url and file_id are kept in the block. Step "reserved": the bytes are POSTed to upload_url.
Step "uploaded": files.completeUploadExternal finishes the file without sharing it anywhere; the
block becomes an image block showing that file (slack_file), with the alt text, in the message that
is posted next. Each step's outcome is written to the outbox row before the next one starts.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.error import HTTPError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.delivery.sending import SendResult
from bot.delivery.uploads import file_bytes
from bot.rendering.chart import image_block


def file_step(
    client: WebClient,
    block: dict[str, Any],
    *,
    classify: Callable[[SlackApiError], SendResult],
    network_errors: tuple[type[BaseException], ...],
) -> dict[str, Any] | SendResult:
    retryable: tuple[type[BaseException], ...] = (SlackClientError, *network_errors)
    try:
        if block["step"] == "new":
            data = file_bytes(block)
            answer = client.files_getUploadURLExternal(
                filename=block["filename"], length=len(data), alt_txt=block["alt"][:1000]
            )
            return {
                **block,
                "step": "reserved",
                "upload_url": answer["upload_url"],
                "file_id": answer["file_id"],
            }
        if block["step"] == "reserved":
            _post_bytes(block["upload_url"], file_bytes(block), client.timeout)
            return {**block, "step": "uploaded"}
        if block["step"] == "uploaded":
            client.files_completeUploadExternal(files=[{"id": block["file_id"], "title": block["title"]}])
            return image_block(block["file_id"], title=block["title"], alt=block["alt"])
        return SendResult.failed(f"unknown upload step {block['step']!r}")
    except SlackApiError as exc:
        return classify(exc)
    except HTTPError as exc:  # the upload POST answered with an error status
        if exc.code >= 500 or exc.code == 429:
            return SendResult.retry(f"upload POST: HTTP {exc.code}")
        return SendResult.failed(f"upload POST refused: HTTP {exc.code}")
    except retryable as exc:
        return SendResult.retry(f"{type(exc).__name__}: {exc}")


def _post_bytes(url: str, data: bytes, timeout: int | float) -> None:
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/octet-stream"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - Slack's upload URL
        response.read()
