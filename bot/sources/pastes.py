"""Logs shared as links to a paste site, read like a text attachment.

People paste long tracebacks on a paste site and post the link. A link to one of a few
well-known sites (the rows of `bot.sources.sites`; `FWERROR_PASTE_HOSTS` picks among them) is
turned into the site's raw-text URL and fetched: text only, at most `PASTE_BYTES`, within
`PASTE_SECONDS`, never following a redirect off the list, and never connecting to a private or
loopback address (only a test turns that off, with its fake paste host on 127.0.0.1). Nothing
else is ever fetched: a link to any other host is just text. A deleted or private paste, a
timeout or a huge file is skipped with a log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
import discord

from bot.core.limits import PASTE_BYTES
from bot.core.linear_re import compile_linear, readable
from bot.core.redact import FIREWORKS_PREFIXES, redact
from bot.sources.public import PublicOnlyResolver
from bot.sources.sites import DEFAULT_HOSTS, RawText, raw_hosts, raw_text
from bot.sources.text import capped_body, readable_text

log = logging.getLogger(__name__)

PASTE_SECONDS = 5.0
MAX_LINKS = 3  # pastes read per message
MAX_CANDIDATES = 20  # paste-site links looked at per message, readable or not
MAX_REDIRECTS = 3
_LINK = compile_linear(r"https?://[^\s<>()\[\]{}'\"`|]+", ignore_case=True)


def paste_links(text: str, hosts: frozenset[str] = DEFAULT_HOSTS) -> list[RawText]:
    """The raw-text locations of the paste links in `text`, at most `MAX_LINKS`, in order.

    A link that holds a secret is dropped: a key typed into a link (`pastebin.com/raw/fw_...`)
    must never reach the paste site. So is one whose path holds a key's prefix at all: a key
    cut short is too short for the redactor to be sure of, and no paste id starts that way.
    Each paste-site link is redacted as the whole message would be (a key inside it is found
    the same way), so a long message costs no full redaction.
    """
    found: list[RawText] = []
    candidates = 0
    for match in _LINK.finditer(readable(text)):
        link = match.group(0).rstrip(".,;:!?>")
        parts = urlsplit(link)
        host = (parts.hostname or "").lower()
        if host not in hosts or host not in DEFAULT_HOSTS:
            continue
        candidates += 1
        if candidates > MAX_CANDIDATES:
            break
        path = parts.path.lower()
        if redact(link).found or any(prefix in path for prefix in FIREWORKS_PREFIXES):
            continue
        raw = raw_text(host, parts.path)
        if raw is not None and raw not in found:
            found.append(raw)
        if len(found) == MAX_LINKS:
            break
    return found


class PasteReader:
    """The `Provider` of a message's paste links: fetches the raw text of allow-listed ones.

    `bases` maps a raw host to the base URL to fetch it from (tests: the fake paste host);
    every other host is fetched over https. `allow_private` lets a test reach 127.0.0.1.
    """

    def __init__(
        self,
        hosts: frozenset[str] = DEFAULT_HOSTS,
        *,
        bases: Mapping[str, str] | None = None,
        allow_private: bool = False,
        limit: int = PASTE_BYTES,
        timeout: float = PASTE_SECONDS,
    ) -> None:
        self.hosts = hosts
        self.timeout = timeout
        self.bases = dict(bases or {})
        self.allow_private = allow_private
        self.limit = limit
        self._session: aiohttp.ClientSession | None = None

    def _url(self, raw: RawText) -> str:
        return self.bases.get(raw.host, f"https://{raw.host}") + raw.path

    def _raw_host(self, url: str) -> str | None:
        """The allow-listed host a fetched URL belongs to (through `bases`), else None."""
        for host, base in self.bases.items():
            if url.startswith(base.rstrip("/") + "/"):
                return host
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https" or host not in raw_hosts(self.hosts):
            return None
        return host

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = (
                aiohttp.TCPConnector(limit=4)
                if self.allow_private
                else aiohttp.TCPConnector(limit=4, resolver=PublicOnlyResolver())
            )
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def find(self, message: discord.Message) -> list[RawText]:
        return paste_links(message.content, self.hosts)

    async def fetch(self, source: RawText) -> str | None:
        """One paste's text, or None (logged) if it can't or mustn't be read."""
        url = self._url(source)
        try:
            return await asyncio.wait_for(self._follow(url), self.timeout)
        except TimeoutError:
            log.info("paste %s: not read within %ss, skipped", url, self.timeout)
        except (aiohttp.ClientError, OSError, ValueError) as error:
            log.info("paste %s: could not be read (%s), skipped", url, error)
        return None

    async def _follow(self, url: str) -> str | None:
        for _ in range(MAX_REDIRECTS + 1):
            async with self.session().get(url, allow_redirects=False, headers=_HEADERS) as response:
                if response.status in (301, 302, 303, 307, 308):
                    target = urljoin(url, response.headers.get("Location", ""))
                    if self._raw_host(target) is None:
                        log.info("paste %s: redirects off the list (%s), skipped", url, target)
                        return None
                    url = target
                    continue
                return await self._body(url, response)
        log.info("paste %s: too many redirects, skipped", url)
        return None

    async def _body(self, url: str, response: aiohttp.ClientResponse) -> str | None:
        if response.status != 200:
            log.info("paste %s: answered %s (deleted or private?), skipped", url, response.status)
            return None
        kind = response.content_type or ""
        is_raw = kind.startswith("text/") and kind != "text/html"
        if not (is_raw or kind == "application/json"):
            log.info("paste %s: %s is not raw text, skipped", url, kind or "no content type")
            return None
        data = await capped_body(response, self.limit)
        if data is None:
            log.info("paste %s: over %d bytes, skipped", url, self.limit)
            return None
        text = readable_text(data)
        if text is None:
            log.info("paste %s: not text, skipped", url)
        return text


_HEADERS: dict[str, Any] = {"Accept": "text/plain, application/json;q=0.9, */*;q=0.1"}
