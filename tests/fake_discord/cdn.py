"""Attachment files, served from the fake's own origin the way cdn.discordapp.com serves them.

A file can be made to arrive truncated (fewer bytes than its Content-Length, then the
connection closes) to test a bot's download error handling; for a 5xx use `fail_next`.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from aiohttp import web

from tests.fake_discord import payloads
from tests.fake_discord.payloads import JSON, Snowflakes


@dataclass(frozen=True)
class Blob:
    data: bytes
    content_type: str
    truncate_to: int | None = None


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request (discord.py names them files[0], files[1], ...)."""

    field: str
    filename: str
    content_type: str
    data: bytes


class Cdn:
    def __init__(self, new_id: Snowflakes) -> None:
        self.new_id = new_id
        self.origin = ""
        self.blobs: dict[str, Blob] = {}

    def add(
        self,
        filename: str,
        data: bytes,
        *,
        channel_id: str,
        content_type: str | None = None,
        truncate_to: int | None = None,
    ) -> JSON:
        """Store a file and return its attachment object (docs: Attachment Object)."""
        attachment_id = self.new_id()
        path = f"/attachments/{channel_id}/{attachment_id}/{filename}"
        kind = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self.blobs[path] = Blob(data, kind, truncate_to)
        return payloads.attachment(
            attachment_id, filename, url=self.origin + path, size=len(data), content_type=kind
        )

    def store_uploads(self, uploads: list[Upload], channel_id: str) -> list[JSON]:
        return [
            self.add(u.filename, u.data, channel_id=channel_id, content_type=u.content_type)
            for u in uploads
        ]

    async def serve(self, request: web.Request) -> web.StreamResponse:
        blob = self.blobs.get(request.path)
        if blob is None:
            return web.Response(status=404, text="Not Found")
        if blob.truncate_to is None:
            return web.Response(body=blob.data, headers={"Content-Type": blob.content_type})
        response = web.StreamResponse(headers={"Content-Type": blob.content_type})
        response.content_length = len(blob.data)
        await response.prepare(request)
        await response.write(blob.data[: blob.truncate_to])
        # Closing mid-body is what a dropped CDN connection looks like to the client.
        request.transport.close()
        return response
