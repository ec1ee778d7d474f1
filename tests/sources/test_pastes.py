"""Which links are paste links, and where their raw text is (no network here)."""

import socket

import pytest

from bot.sources.pastes import paste_links
from bot.sources.public import PublicOnlyResolver
from bot.sources.sites import DEFAULT_HOSTS, RawText, raw_hosts


@pytest.mark.parametrize(
    ("link", "raw"),
    [
        ("https://pastebin.com/AbCd1234", RawText("pastebin.com", "/raw/AbCd1234")),
        ("https://pastebin.com/raw/AbCd1234", RawText("pastebin.com", "/raw/AbCd1234")),
        (
            "https://gist.github.com/alice/0123456789abcdef0123",
            RawText("gist.githubusercontent.com", "/alice/0123456789abcdef0123/raw"),
        ),
        (
            "https://gist.githubusercontent.com/alice/0123abcd/raw/log.txt",
            RawText("gist.githubusercontent.com", "/alice/0123abcd/raw/log.txt"),
        ),
        (
            "https://github.com/acme/app/blob/main/logs/run.log",
            RawText("raw.githubusercontent.com", "/acme/app/main/logs/run.log"),
        ),
        (
            "https://raw.githubusercontent.com/acme/app/main/run.log",
            RawText("raw.githubusercontent.com", "/acme/app/main/run.log"),
        ),
        (
            "https://paste.gg/p/alice/0123456789abcdef/files/fedcba9876543210/raw",
            RawText("paste.gg", "/p/alice/0123456789abcdef/files/fedcba9876543210/raw"),
        ),
        ("https://hastebin.com/ucofaxoqe.py", RawText("hastebin.com", "/raw/ucofaxoqe")),
        (
            "https://www.toptal.com/developers/hastebin/ucofaxoqe",
            RawText("www.toptal.com", "/developers/hastebin/raw/ucofaxoqe"),
        ),
        ("https://dpaste.org/Xy7q", RawText("dpaste.org", "/Xy7q/raw")),
        ("https://dpaste.com/8GZ3XJ2", RawText("dpaste.com", "/8GZ3XJ2.txt")),
        ("https://bpa.st/ABCD", RawText("bpa.st", "/raw/ABCD")),
        ("https://paste.rs/Zm9v.log", RawText("paste.rs", "/Zm9v")),
    ],
)
def test_a_paste_link_maps_to_its_raw_text(link: str, raw: RawText) -> None:
    assert paste_links(f"here is my log: {link}, thanks") == [raw]
    assert paste_links(f"log <{link}>") == [raw]  # Discord's no-preview form


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/raw/AbCd1234",
        "https://pastebin.com.evil.example/AbCd1234",
        "https://github.com/acme/app",  # a repository, not a file
        "https://paste.gg/p/alice/0123456789abcdef",  # a page: which file is not known
        "https://127.0.0.1:8080/raw/AbCd1234",
        "see pastebin.com/AbCd1234",  # no scheme: not a link Discord would show
    ],
)
def test_other_links_are_never_paste_links(text: str) -> None:
    assert paste_links(text) == []


def test_only_the_configured_sites_and_three_links_at_most() -> None:
    text = " ".join(f"https://pastebin.com/Paste00{n}" for n in range(5))
    assert len(paste_links(text)) == 3
    assert paste_links(text, frozenset({"bpa.st"})) == []


async def test_a_host_that_resolves_to_a_private_address_is_refused() -> None:
    resolver = PublicOnlyResolver()
    try:
        with pytest.raises(OSError, match="non-public"):
            await resolver.resolve("localhost", 443, socket.AF_INET)
    finally:
        await resolver.close()


# A resolver given an address answers with that address, as DNS would for a name pointing at it.
@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a9fe:a9fe",  # NAT64 for 169.254.169.254, the cloud metadata service
        "64:ff9b::7f00:1",  # NAT64 for 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 for 10.0.0.1
        "64:ff9b:1:7f00:0:100::",  # local-use NAT64 (RFC 8215)
        "::127.0.0.1",  # IPv4-compatible
        "::a9fe:a9fe",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:192.168.0.1",
        "2002:7f00:1::1",  # 6to4 for 127.0.0.1
        "2002:a9fe:a9fe::1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    ],
)
async def test_an_ipv6_answer_that_embeds_a_private_ipv4_is_refused(address: str) -> None:
    resolver = PublicOnlyResolver()
    try:
        with pytest.raises(OSError, match="non-public"):
            await resolver.resolve(address, 443, socket.AF_UNSPEC)
    finally:
        await resolver.close()


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "8.8.8.8"])
async def test_an_ipv6_answer_that_embeds_a_public_ipv4_is_kept(address: str) -> None:
    resolver = PublicOnlyResolver()
    try:
        [result] = await resolver.resolve(address, 443, socket.AF_UNSPEC)
        assert result["host"] == address
    finally:
        await resolver.close()


def test_a_lone_surrogate_in_the_message_does_not_stop_the_link_reader() -> None:
    # JSON may carry "\ud800"; RE2 can't read it, and the old reader raised on it.
    assert paste_links("log \ud800 https://pastebin.com/Paste001") == [
        RawText("pastebin.com", "/raw/Paste001")
    ]


def test_the_sites_table_names_the_same_hosts_and_their_raw_hosts() -> None:
    assert {
        "pastebin.com",
        "gist.github.com",
        "gist.githubusercontent.com",
        "github.com",
        "raw.githubusercontent.com",
        "paste.gg",
        "hastebin.com",
        "www.toptal.com",
        "dpaste.org",
        "dpaste.com",
        "bpa.st",
        "paste.rs",
    } == DEFAULT_HOSTS
    # A redirect may reach a site's raw host only while the site itself is allowed.
    assert raw_hosts(frozenset({"github.com", "gist.github.com", "bpa.st"})) == {
        "github.com",
        "raw.githubusercontent.com",
        "gist.github.com",
        "gist.githubusercontent.com",
        "bpa.st",
    }
    assert raw_hosts(frozenset({"pastebin.com"})) == {"pastebin.com"}


@pytest.mark.parametrize(
    "text",
    [
        "see https://pastebin.com/raw/fw_",  # a key's prefix, cut short: too short to redact
        "https://gist.github.com/alice/0123abcd/raw/FW_short.txt",
        "https://hastebin.com/raw/fpk_ab12",
    ],
)
def test_a_link_whose_path_starts_a_key_is_never_fetched(text: str) -> None:
    assert paste_links(text) == []


def test_a_paste_id_without_a_key_prefix_is_still_read() -> None:
    assert paste_links("https://pastebin.com/raw/Fw3xAbCd") == [
        RawText("pastebin.com", "/raw/Fw3xAbCd")
    ]
