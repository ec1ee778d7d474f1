"""Which links are paste links, and where their raw text is (no network here)."""

import socket

import pytest

from bot.paste_links import PublicOnlyResolver, RawText, paste_links


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
