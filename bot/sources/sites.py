"""The paste sites whose links are read, one row each: a host, the paths of its links (RE2,
like every pattern that reads what users send), and where such a link's raw text is.

A new site is one new row. A site whose links come in two shapes has a row per shape, tried in
order. `FWERROR_PASTE_HOSTS` picks among the hosts; a row whose raw text is on another host
(a gist on gist.githubusercontent.com) puts that host on the list too, for redirects.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.linear_re import Regex, compile_linear

_ID = r"[A-Za-z0-9_-]{2,64}"
_HEX = r"[0-9a-f]{8,64}"
_SUFFIX = r"(?:\.\w{1,10})?"  # hastebin and paste.rs take a language suffix


@dataclass(frozen=True, slots=True)
class RawText:
    """Where a paste's raw text is: a host (one of the allow-listed ones) and a path."""

    host: str
    path: str


@dataclass(frozen=True, slots=True)
class Site:
    """Links on `host` whose path fully matches `link` have their raw text at `raw`: a
    "host/path" template of the match's groups (`{0}` the whole path)."""

    host: str
    link: Regex
    raw: str

    @property
    def raw_host(self) -> str:
        return self.raw.split("/", 1)[0]

    def raw_text(self, path: str) -> RawText | None:
        found = self.link.fullmatch(path)
        if not found:
            return None
        host, _, raw_path = self.raw.format(found[0], *found.groups("")).partition("/")
        return RawText(host, "/" + raw_path)


def _site(host: str, link: str, raw: str) -> Site:
    return Site(host, compile_linear(link), raw)


SITES = (
    _site("pastebin.com", rf"/(?:raw/)?({_ID})/?", "pastebin.com/raw/{1}"),
    _site(
        "gist.github.com",
        rf"/({_ID})/({_HEX})/raw((?:/[^?#]*)?)/?",
        "gist.githubusercontent.com/{1}/{2}/raw{3}",
    ),
    _site("gist.github.com", rf"/({_ID})/({_HEX})/?", "gist.githubusercontent.com/{1}/{2}/raw"),
    _site("gist.githubusercontent.com", r"/(.+)", "gist.githubusercontent.com/{1}"),
    _site(
        "github.com",
        rf"/({_ID})/([\w.-]{{1,100}})/(?:blob|raw)/([^?#]+)",
        "raw.githubusercontent.com/{1}/{2}/{3}",
    ),
    _site("raw.githubusercontent.com", r"/(.+)", "raw.githubusercontent.com/{1}"),
    # Only a file's raw link: the page of a paste doesn't say which file to read.
    _site("paste.gg", rf"/p/({_ID})/({_HEX})/files/({_HEX})/raw", "paste.gg{0}"),
    _site("hastebin.com", rf"/(?:raw/)?({_ID}){_SUFFIX}", "hastebin.com/raw/{1}"),
    _site(
        "www.toptal.com",
        rf"/developers/hastebin/(?:raw/)?({_ID}){_SUFFIX}",
        "www.toptal.com/developers/hastebin/raw/{1}",
    ),
    _site("dpaste.org", rf"/({_ID})(?:/raw)?/?", "dpaste.org/{1}/raw"),
    _site("dpaste.com", rf"/({_ID})(?:\.txt)?", "dpaste.com/{1}.txt"),
    _site("bpa.st", rf"/(?:raw/)?({_ID})/?", "bpa.st/raw/{1}"),
    _site("paste.rs", rf"/({_ID}){_SUFFIX}", "paste.rs/{1}"),
)
DEFAULT_HOSTS = frozenset(site.host for site in SITES)


def raw_text(host: str, path: str) -> RawText | None:
    """Where the raw text of the link `host` + `path` is, if it is a paste link at all."""
    for site in SITES:
        if site.host == host:
            found = site.raw_text(path)
            if found is not None:
                return found
    return None


def raw_hosts(hosts: frozenset[str]) -> frozenset[str]:
    """The hosts whose raw text may be fetched when `hosts` are allowed: those and their raw
    hosts (a redirect to them stays on the list)."""
    return hosts | {site.raw_host for site in SITES if site.host in hosts}
