"""Logs shared as links to a paste site, read like a text attachment.

People paste long tracebacks on a paste site and post the link. A link to one of a few
well-known sites (see `SITES`; `FWERROR_PASTE_HOSTS` picks among them) is turned into the
site's raw-text URL and fetched: text only, at most `PASTE_BYTES`, within `PASTE_SECONDS`,
never following a redirect off the list, and never connecting to a private or loopback
address (only a test turns that off, with its fake paste host on 127.0.0.1). Nothing else is
ever fetched: a link to any other host is just text. A deleted or private paste, a timeout or
a huge file is skipped with a log line. Each site is one small function from a link's path to
its raw path, so a new site is one new entry in `SITES`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.core.linear_re import compile_linear, readable
from bot.core.redact import redact
from bot.message_text import sniff_text  # the same test for text as an attachment gets

log = logging.getLogger(__name__)

PASTE_BYTES = 1024 * 1024
PASTE_SECONDS = 5.0
MAX_LINKS = 3  # pastes read per message
MAX_CANDIDATES = 20  # paste-site links looked at per message, readable or not
MAX_REDIRECTS = 3
_LINK = compile_linear(r"https?://[^\s<>()\[\]{}'\"`|]+", ignore_case=True)
_ID = r"[A-Za-z0-9_-]{2,64}"
# Each site's link paths (RE2, like every pattern that reads what users send).
_PASTEBIN = compile_linear(rf"/(?:raw/)?({_ID})/?")
_GIST = compile_linear(rf"/({_ID})/([0-9a-f]{{8,64}})(/raw(?:/[^?#]*)?)?/?")
_GITHUB = compile_linear(rf"/({_ID})/([\w.-]{{1,100}})/(?:blob|raw)/([^?#]+)")
_PASTE_GG = compile_linear(rf"/p/({_ID})/([0-9a-f]{{8,64}})/files/([0-9a-f]{{8,64}})/raw")
_HASTEBIN = compile_linear(rf"/(?:raw/)?({_ID})(?:\.\w{{1,10}})?")
_TOPTAL = compile_linear(rf"/developers/hastebin/(?:raw/)?({_ID})(?:\.\w{{1,10}})?")
_DPASTE_ORG = compile_linear(rf"/({_ID})(?:/raw)?/?")
_DPASTE_COM = compile_linear(rf"/({_ID})(?:\.txt)?")
_BPA_ST = compile_linear(rf"/(?:raw/)?({_ID})/?")
_PASTE_RS = compile_linear(rf"/({_ID})(?:\.\w{{1,10}})?")


@dataclass(frozen=True, slots=True)
class RawText:
    """Where a paste's raw text is: a host (one of the allow-listed ones) and a path."""

    host: str
    path: str


def _pastebin(path: str) -> RawText | None:
    found = _PASTEBIN.fullmatch(path)
    return RawText("pastebin.com", f"/raw/{found[1]}") if found else None


def _gist(path: str) -> RawText | None:
    found = _GIST.fullmatch(path)
    if not found:
        return None
    return RawText("gist.githubusercontent.com", f"/{found[1]}/{found[2]}{found[3] or '/raw'}")


def _same_host(host: str) -> Callable[[str], RawText | None]:
    """A site whose links are raw text already (any path with something in it)."""
    return lambda path: RawText(host, path) if len(path) > 1 else None


def _github(path: str) -> RawText | None:
    found = _GITHUB.fullmatch(path)
    if not found:
        return None
    return RawText("raw.githubusercontent.com", f"/{found[1]}/{found[2]}/{found[3]}")


def _paste_gg(path: str) -> RawText | None:
    # Only a file's raw link: the page of a paste doesn't say which file to read.
    found = _PASTE_GG.fullmatch(path)
    return RawText("paste.gg", path) if found else None


def _hastebin(path: str) -> RawText | None:
    found = _HASTEBIN.fullmatch(path)
    return RawText("hastebin.com", f"/raw/{found[1]}") if found else None


def _toptal(path: str) -> RawText | None:
    found = _TOPTAL.fullmatch(path)
    return RawText("www.toptal.com", f"/developers/hastebin/raw/{found[1]}") if found else None


def _dpaste_org(path: str) -> RawText | None:
    found = _DPASTE_ORG.fullmatch(path)
    return RawText("dpaste.org", f"/{found[1]}/raw") if found else None


def _dpaste_com(path: str) -> RawText | None:
    found = _DPASTE_COM.fullmatch(path)
    return RawText("dpaste.com", f"/{found[1]}.txt") if found else None


def _bpa_st(path: str) -> RawText | None:
    found = _BPA_ST.fullmatch(path)
    return RawText("bpa.st", f"/raw/{found[1]}") if found else None


def _paste_rs(path: str) -> RawText | None:
    found = _PASTE_RS.fullmatch(path)
    return RawText("paste.rs", f"/{found[1]}") if found else None


# Host in a link -> its raw-text location. The raw hosts a site redirects to count as on the list.
SITES: dict[str, Callable[[str], RawText | None]] = {
    "pastebin.com": _pastebin,
    "gist.github.com": _gist,
    "gist.githubusercontent.com": _same_host("gist.githubusercontent.com"),
    "github.com": _github,
    "raw.githubusercontent.com": _same_host("raw.githubusercontent.com"),
    "paste.gg": _paste_gg,
    "hastebin.com": _hastebin,
    "www.toptal.com": _toptal,
    "dpaste.org": _dpaste_org,
    "dpaste.com": _dpaste_com,
    "bpa.st": _bpa_st,
    "paste.rs": _paste_rs,
}
DEFAULT_HOSTS = frozenset(SITES)
RAW_HOSTS = {
    "gist.github.com": "gist.githubusercontent.com",
    "github.com": "raw.githubusercontent.com",
}


def paste_links(text: str, hosts: frozenset[str] = DEFAULT_HOSTS) -> list[RawText]:
    """The raw-text locations of the paste links in `text`, at most `MAX_LINKS`, in order.

    A link that holds a secret is dropped: a key typed into a link (`pastebin.com/raw/fw_...`)
    must never reach the paste site. Each paste-site link is redacted as the whole message
    would be (a key inside it is found the same way), so a long message costs no full redaction.
    """
    found: list[RawText] = []
    candidates = 0
    for match in _LINK.finditer(readable(text)):
        link = match.group(0).rstrip(".,;:!?>")
        parts = urlsplit(link)
        host = (parts.hostname or "").lower()
        if host not in hosts or host not in SITES:
            continue
        candidates += 1
        if candidates > MAX_CANDIDATES:
            break
        if redact(link).found:
            continue
        raw = SITES[host](parts.path)
        if raw is not None and raw not in found:
            found.append(raw)
        if len(found) == MAX_LINKS:
            break
    return found


# IPv6 forms that carry an IPv4 address in their last 32 bits: NAT64's well-known prefix
# (RFC 6052) and the deprecated IPv4-compatible form (RFC 4291). `::ffff:a.b.c.d`, 6to4 and
# Teredo have their own properties on `IPv6Address`.
_LAST_32_BITS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))
# Local-use NAT64 (RFC 8215): a network's own translator, never a public host.
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """Every IPv4 address an IPv6 address stands for: a packet to it reaches those."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if any(address in network for network in _LAST_32_BITS):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)  # the Teredo server and the client behind it
    return tuple(found)


def is_public(host: str) -> bool:
    """Whether `host` (an address) is public, and so is every IPv4 address it embeds."""
    address = ipaddress.ip_address(host)
    if not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return False
        return all(inner.is_global for inner in embedded_ipv4(address))
    return True


class PublicOnlyResolver(AbstractResolver):
    """Resolves a host only to public addresses: a paste host can't point the bot inward."""

    def __init__(self) -> None:
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            if not is_public(result["host"]):
                raise OSError(f"{host} resolves to a non-public address")
        return results

    async def close(self) -> None:
        await self._inner.close()


class PasteReader:
    """Fetches the raw text of allow-listed paste links.

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
        allowed = self.hosts | {RAW_HOSTS[h] for h in self.hosts if h in RAW_HOSTS}
        if parts.scheme != "https" or host not in allowed:
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

    async def read_all(self, text: str) -> list[str]:
        """The text of every readable paste linked in `text`, in order."""
        links = paste_links(text, self.hosts)
        if not links:
            return []
        read = await asyncio.gather(*(self.read(link) for link in links))
        return [paste for paste in read if paste]

    async def read(self, raw: RawText) -> str | None:
        """One paste's text, or None (logged) if it can't or mustn't be read."""
        url = self._url(raw)
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
        raw_text = kind.startswith("text/") and kind != "text/html"
        if not (raw_text or kind == "application/json"):
            log.info("paste %s: %s is not raw text, skipped", url, kind or "no content type")
            return None
        data = bytearray()
        async for chunk in response.content.iter_chunked(64 * 1024):
            data += chunk
            if len(data) > self.limit:
                log.info("paste %s: over %d bytes, skipped", url, self.limit)
                return None
        text = sniff_text(bytes(data))
        if text is None or not text.strip():
            log.info("paste %s: not text, skipped", url)
            return None
        return text


_HEADERS: dict[str, Any] = {"Accept": "text/plain, application/json;q=0.9, */*;q=0.1"}
