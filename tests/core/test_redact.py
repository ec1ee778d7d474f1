"""Secrets never get past redact(); ordinary identifiers, hashes and model names do.

Every fake key is built at runtime so that no key-shaped literal sits in the source.
"""

import base64
import json
import random
import string
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.core.evaluate import load_corpus
from bot.core.explain import explain
from bot.core.prepare import normalise, prepare
from bot.core.redact import (
    MARKER_SUFFIX,
    Redaction,
    Secret,
    for_storage,
    leak_warning,
    redact,
)
from bot.knowledge.load import load_knowledge

ALNUM = string.ascii_letters + string.digits
MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def fake(length: int = 24, seed: int = 0) -> str:
    """A random-looking alphanumeric string; the fixed tail guarantees a digit and a letter."""
    rng = random.Random(seed)
    return "".join(rng.choice(ALNUM) for _ in range(length - 2)) + "7q"


def discord_token(seed: int = 0) -> str:
    user_id = base64.urlsafe_b64encode(b"112233445566778899").decode().rstrip("=")
    return f"{user_id}.{fake(6, seed)}.{fake(38, seed + 1)}"


def marker(secret: str, shown: int) -> str:
    return secret[:shown] + MARKER_SUFFIX


def assert_replaced(text: str, secret: str, shown: int, kind: str) -> Redaction:
    """The secret, and nothing else, became its marker."""
    result = redact(text)
    assert secret[shown:] not in result.text
    assert result.text == text.replace(secret, marker(secret, shown))
    assert result.secrets == (Secret(kind, marker(secret, shown)),)
    assert result.found
    return result


def test_curl_command_with_bearer_header() -> None:
    key = "fw_" + fake(24, 1)
    curl = (
        "curl https://api.fireworks.ai/inference/v1/chat/completions \\\n"
        '  -H "Content-Type: application/json" \\\n'
        f'  -H "Authorization: Bearer {key}" \\\n'
        f"""  -d '{{"model": "{MODEL}", "max_tokens": 64}}'\n"""
        '{"error": {"message": "The API key you provided is invalid.", "code": "UNAUTHORIZED"}}'
    )
    result = assert_replaced(curl, key, 7, "fireworks")
    assert MODEL in result.text


def test_openai_python_snippet_with_api_key_argument() -> None:
    key = "fw_" + fake(32, 2)
    snippet = (
        "import openai\n"
        "client = openai.OpenAI(\n"
        '    base_url="https://api.fireworks.ai/inference/v1",\n'
        f'    api_key="{key}",\n'
        ")\n"
        f'client.chat.completions.create(model="{MODEL}", messages=[])\n'
        "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Invalid API key'}}"
    )
    assert_replaced(snippet, key, 7, "fireworks")


def test_raw_http_dump_with_opaque_bearer_token() -> None:
    token = fake(40, 3)
    dump = (
        "POST /inference/v1/completions HTTP/1.1\n"
        "Host: api.fireworks.ai\n"
        f"authorization: Bearer {token}\n"
        "content-type: application/json\n"
    )
    assert_replaced(dump, token, 4, "bearer")


def test_python_headers_dict_with_jwt_bearer() -> None:
    jwt = f"eyJ{fake(20, 4)}.eyJ{fake(30, 5)}.{fake(43, 6)}"
    code = f"headers = {{'Authorization': 'Bearer {jwt}', 'Accept': 'text/event-stream'}}"
    assert_replaced(code, jwt, 4, "bearer")


def test_json_log_line_keeps_request_id() -> None:
    key = "fw_" + fake(24, 7)
    request_id = "3f0e6c2a-9b1d-4c8e-8f2a-6d5b4c3a2e1f"
    line = (
        '{"ts": "2024-06-01T12:00:00Z", "level": "error", '
        f'"request_id": "{request_id}", "headers": {{"Authorization": "Bearer {key}"}}, '
        '"status": 401}'
    )
    result = assert_replaced(line, key, 7, "fireworks")
    assert request_id in result.text


def test_env_dump_redacts_every_kind() -> None:
    fireworks = "fw_" + fake(24, 8)
    fire_pass = "fpk_" + fake(24, 9)
    discord = discord_token(10)
    openai = "sk-proj-" + fake(48, 11)
    aws_id = "AKIA" + fake(16, 12).upper()
    aws_secret = fake(18, 13) + "/" + fake(21, 14)
    env = (
        f"FIREWORKS_API_KEY={fireworks}\n"
        f"FIRE_PASS={fire_pass}\n"
        f"DISCORD_TOKEN={discord}\n"
        f"OPENAI_API_KEY={openai}\n"
        f"AWS_ACCESS_KEY_ID={aws_id}\n"
        f"AWS_SECRET_ACCESS_KEY={aws_secret}\n"
        "FWERROR_LOG_LEVEL=debug\n"
    )
    expected = [
        (fireworks, 7, "fireworks"),
        (fire_pass, 8, "fire_pass"),
        (discord, 4, "discord"),
        (openai, 12, "openai"),
        (aws_id, 8, "aws"),
        (aws_secret, 4, "aws"),
    ]
    result = redact(env)
    want = env
    for secret, shown, _ in expected:
        assert secret[shown:] not in result.text
        want = want.replace(secret, marker(secret, shown))
    assert result.text == want
    assert result.secrets == tuple(Secret(k, marker(s, n)) for s, n, k in expected)


@pytest.mark.parametrize(
    ("template", "secret", "shown", "kind"),
    [
        ("my bot token is {} pls help", discord_token(20), 4, "discord"),
        ("tried sk key too: {}", "sk-proj-" + fake(60, 21), 12, "openai"),
        ("legacy {} also fails", "sk-" + fake(48, 22), 7, "openai"),
        ("The AWS Access Key Id you provided ({}) does not exist", "AKIA" + "Z" * 16, 8, "aws"),
        ("FIREWORKS_API_KEY={}", "fw-" + fake(24, 23), 7, "fireworks"),
        ("key: {}", "fw_" + "A" * 24, 7, "fireworks"),
        ('os.environ["FIREWORKS_API_KEY"] = "{}"', fake(32, 24), 4, "fireworks"),
        ('payload = "{{\\"api_key\\": \\"{}\\"}}"', fake(32, 25), 4, "secret"),
        ("x-api-key: {}", fake(32, 26), 4, "secret"),
        ("GITHUB_TOKEN={}", "9fceb02d0ae598e95dc970b74767f19372d61af8", 4, "secret"),
        ("Authorization: Bearer {}.", fake(32, 27), 4, "bearer"),
    ],
)
def test_redacts_single_secret(template: str, secret: str, shown: int, kind: str) -> None:
    assert_replaced(template.format(secret), secret, shown, kind)


@pytest.mark.parametrize(
    "text",
    [
        "fw_version = 2",
        "if fw_version_check(fw-status): pass",
        "pip install fw-1.2.3",
        f"model={MODEL}",
        f'"tokenizer": "{MODEL}"',
        "x-request-id: 3f0e6c2a-9b1d-4c8e-8f2a-6d5b4c3a2e1f",
        "fatal: reference is not a tree: 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        'curl -H "Authorization: Bearer $FIREWORKS_API_KEY"',
        'client = OpenAI(api_key=os.environ["FIREWORKS_API_KEY"])',
        "Authorization: Bearer <YOUR_API_KEY>",
        "Authorization: Bearer YOUR_FIREWORKS_API_KEY",
        "the bearer token is rejected with a 401",
        '{"usage": {"prompt_tokens": 1234, "max_tokens": 4096}}',
        "apiKey: process.env.FIREWORKS_API_KEY",
        "pip install scikit-learn; ask-some-long-descriptive-name-here",
        "sk-some-long-descriptive-name-here",
        "firmware fw-" + "1" * 20,
        "AKIA" + "Z" * 15,
    ],
)
def test_leaves_lookalikes_alone(text: str) -> None:
    assert redact(text) == Redaction(text, ())


def test_text_glued_onto_a_discord_token_goes_with_it() -> None:
    token = discord_token(50) + "-fw-" + fake(60, 51)
    once = redact(f"token {token} end")
    assert once.text == f"token {marker(token, 4)} end"
    assert redact(once.text) == Redaction(once.text, ())


def test_key_split_by_invisible_characters_is_caught() -> None:
    body = fake(24, 30)
    split = f"fw_{body[:8]}\u200b{body[8:16]}\u200d\u2060{body[16:]}"
    result = redact(f"key:\u200b {split}\u200b!")
    assert result.text == f"key:\u200b fw_{body[:4]}{MARKER_SUFFIX}\u200b!"
    assert result.secrets == (Secret("fireworks", f"fw_{body[:4]}{MARKER_SUFFIX}"),)


def test_same_key_twice_is_one_secret() -> None:
    key = "fw_" + fake(24, 31)
    result = redact(f"{key}\nagain: {key}")
    assert result.text == f"{marker(key, 7)}\nagain: {marker(key, 7)}"
    assert result.secrets == (Secret("fireworks", marker(key, 7)),)


def test_odd_characters_around_a_key() -> None:
    key = "fpk_" + fake(24, 32)
    text = f"\x00\ud800\u202e{key}\u200f\ufeff\udfff"
    assert redact(text).text == f"\x00\ud800\u202e{marker(key, 8)}\u200f\ufeff\udfff"


@pytest.mark.parametrize(
    "text",
    [
        "fw_" * 300_000,
        "Bearer " * 100_000,
        "Bearer " + " " * 1_000_000,
        "api_key=" * 120_000,
        "tokentoken" * 100_000,
        "sk-" * 300_000,
        "M" * 1_000_000,
        ("M" * 24 + ".abcdef.") * 30_000,
        "<@" * 300_000,
        "a\u200b" * 300_000,
    ],
    ids=lambda text: f"{text[:12]!r}x{len(text)}",
)
def test_hostile_megabyte_inputs_finish(text: str) -> None:
    assert redact(text) == Redaction(text, ())


def test_megabyte_input_with_a_key_at_the_end() -> None:
    key = "fw_" + fake(24, 33)
    text = "fw_ " * 250_000 + key
    assert redact(text).text == "fw_ " * 250_000 + marker(key, 7)


def test_leak_warning_for_a_fireworks_key() -> None:
    key = "fw_" + fake(24, 40)
    warning = leak_warning(redact(f"api_key={key}").secrets)
    assert marker(key, 7) in warning
    assert key[7:] not in warning
    assert "API Keys" in warning
    assert "create a new one" in warning
    assert "Reset Token" not in warning


def test_leak_warning_names_the_provider_steps() -> None:
    found = redact(f"{discord_token(41)} AKIA{'Q' * 16}").secrets
    warning = leak_warning(found)
    assert "Reset Token" in warning
    assert "rotate" in warning
    assert "API Keys" not in warning


def test_leak_warning_is_empty_without_secrets() -> None:
    assert leak_warning(()) == ""


def test_leak_warning_stays_short_with_many_secrets() -> None:
    kinds = ["fireworks", "fire_pass", "discord", "openai", "anthropic", "aws", "bearer", "secret"]
    found = [Secret(kind, f"sk-svcacct-{i:04d}{MARKER_SUFFIX}") for i, kind in enumerate(kinds)]
    warning = leak_warning(found)
    assert len(warning) <= 600
    assert "and 5 more" in warning


SETTINGS = settings(max_examples=200, deadline=None)

any_text = st.text(st.characters(exclude_categories=()))


def chars(alphabet: str, size: int, max_size: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=size, max_size=size if max_size is None else max_size)


B64URL = ALNUM + "_-"
# (key, characters its marker may show)
planted_keys = st.one_of(
    st.tuples(
        st.sampled_from(["fw_", "fpk_", "fw-"]),
        chars(string.ascii_letters, 1),
        chars(ALNUM, 19, 40),
    ).map(lambda t: ("".join(t), len(t[0]) + 4)),
    chars(ALNUM, 20, 60).map(lambda body: ("sk-proj-" + body, 12)),
    chars(string.ascii_uppercase + string.digits, 16).map(lambda body: ("AKIA" + body, 8)),
    st.tuples(chars("MNO", 1), chars(B64URL, 23), chars(B64URL, 6), chars(B64URL, 27, 38)).map(
        lambda t: (f"{t[0]}{t[1]}.{t[2]}.{t[3]}", 4)
    ),
)
separators = st.sampled_from([" ", "\n", "\t", '"', "'", "(", ",", ";", "<", ">"])
tricky_fragments = st.sampled_from(
    [
        "Bearer ",
        "api_key=",
        "FIREWORKS_API_KEY=",
        "token: ",
        MARKER_SUFFIX,
        "\u200b",
        "fw_",
        "sk-proj-",
        "AKIA",
        ".",
        "-",
        "_",
        '"',
        " ",
        "7",
        # Hostile shapes (issue 8): runs, repeated prefixes, fences, digits, brackets, escapes.
        "\n" * 40,
        " \t\n" * 20,
        "openai." * 20,
        "```\n" * 10,
        "0123456789" * 8,
        "[{" * 30,
        "\x1b[0m",
        "\\n",
        "%3D",
        "\\u0022",
    ]
)
messy_text = st.lists(
    st.one_of(any_text, tricky_fragments, planted_keys.map(lambda k: k[0])), max_size=12
).map("".join)


@SETTINGS
@given(any_text)
def test_arbitrary_text_without_secrets_passes_unchanged(text: str) -> None:
    result = redact(text)
    if not result.found:
        assert result.text == text


@SETTINGS
@given(any_text, separators, planted_keys, separators, any_text)
def test_planted_key_never_survives(
    before: str, left: str, planted: tuple[str, int], right: str, after: str
) -> None:
    key, shown = planted
    # Hypothesis likes to reuse strings; a copy in the surroundings is not the planted key.
    assume(key[shown:] not in before + after)
    result = redact(before + left + key + right + after)
    assert result.found
    assert key[shown:] not in result.text


# Keys as real ones look (random, mixed case and digits), to glue onto anything before them.
random_keys = st.one_of(
    st.tuples(st.sampled_from(["fw_", "fpk_", "fw-"]), chars(ALNUM, 17, 40)).map(
        lambda t: (f"{t[0]}{t[1]}7qZ", len(t[0]) + 4)
    ),
    chars(ALNUM, 17, 60).map(lambda body: (f"sk-proj-{body}7qZ", 12)),
    chars(string.ascii_uppercase + string.digits, 15).map(lambda body: (f"AKIA{body}7", 8)),
)
glue = st.sampled_from(
    [
        *("\\n", "\\t", "\\u0022", "%3D", "%20", "=", '"', "'", "x", "7", "_", "\x1b[0m"),
        *("\u200b", "```\n", "```", "\n" * 30, " \t\n" * 10, "openai." * 5, "[{" * 10, "\x00"),
    ]
)


@SETTINGS
@given(any_text, glue, random_keys, separators, any_text)
def test_planted_key_after_any_glue_never_survives_nor_comes_back(
    before: str, left: str, planted: tuple[str, int], right: str, after: str
) -> None:
    key, shown = planted
    # The surroundings alone may spell the key's tail ("00000" + "7" before "AKIA0...07").
    surroundings = (before + left, right + after)
    assume(all(key[shown:] not in prepare(part) + part for part in surroundings))
    result = redact(before + left + key + right + after)
    assert result.found
    assert key[shown:] not in result.text
    assert key[shown:] not in prepare(result.text)


@SETTINGS
@given(random_keys, st.integers(0, 40), st.sampled_from(["\x1b[0m", "\x07", "\u200b", "```"]))
def test_a_key_split_anywhere_by_what_the_clean_up_removes_is_caught(
    planted: tuple[str, int], at: int, splitter: str
) -> None:
    key, shown = planted
    at = min(at, len(key))
    result = redact(f"key {key[:at]}{splitter}{key[at:]} end")
    cleaned = prepare(result.text)
    assert key[shown:] not in cleaned and redact(cleaned) == Redaction(cleaned, ())


@SETTINGS
@given(messy_text)
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    twice = redact(once.text)
    assert twice == Redaction(once.text, ())


# A key needs no word boundary before its prefix (issue 8, break 2).
GLUED_FORMS = [
    '{{"env": "HOME=/root\\nfw_KEY"}}',  # JSON: a newline is the two characters \n
    '{{"cmd": "export\\tfw_KEY"}}',
    "\\u0022fw_KEY\\u0022",
    "https://example.com/v1?key%3Dfw_KEY",
    "Authorization:%20fw_KEY",
    "FIREWORKS=fw_KEY",
    "'fw_KEY'",
    "xfw_KEY",  # glued to a letter
    "7fw_KEY",  # glued to a digit
    "my_fw_KEY",
]


@pytest.mark.parametrize("form", GLUED_FORMS)
@pytest.mark.parametrize("prefix", ["fw_", "fpk_", "sk-", "sk-proj-"])
def test_a_key_glued_to_what_comes_before_is_still_a_key(form: str, prefix: str) -> None:
    key = prefix + fake(32, 60)
    result = redact(form.replace("fw_KEY", key))
    assert result.found
    assert key[len(prefix) + 4 :] not in result.text
    assert key[-8:] not in result.text


@pytest.mark.parametrize(
    "text",
    ["key%3DAKIA" + "ABCD2345EFGH6789", "id=\\nAKIA" + "Q7" * 8, "arn:aws:xAKIA" + "Z5" * 8],
)
def test_an_aws_key_id_glued_to_what_comes_before_is_still_a_key(text: str) -> None:
    result = redact(text)
    assert result.found and "…[redacted]" in result.text and text[-8:] not in result.text


@pytest.mark.parametrize(
    "text",
    [
        "myfw_versioncheckhandlerforall",
        "call firmware_fw_updatehandlerloop now",
        "XFW_UPDATEHANDLERFORTHEMAINLOOP",
        "self.fw_Transformer(layers=4)",
        "task-scheduler-for-long-running-jobs-2024",
        "disk-usage-report-for-the-cluster-node7",
        "the risk-AssessmentForEveryModelTraining is done",
        "TASKAKIA" + "ZZZZZZZZZZZZZZZZ",
        "pip install mask-rcnn-benchmark-resnet50-fpn",
    ],
)
def test_identifiers_with_a_glued_prefix_are_left_alone(text: str) -> None:
    assert redact(text) == Redaction(text, ())


def test_ordinary_pastes_redact_nothing_in_any_encoding() -> None:
    """The labelled corpus (1,900+ real-looking pastes) as sent, as JSON and URL-encoded (where
    every separator becomes an escape glued to the next word): none redacts anything but the
    few that paste a made-up key (`fw_FAKE...`), which each form redacts."""
    cases = load_corpus(sorted(CORPUS.glob("*.jsonl")))
    assert len(cases) > 1_900
    forms = (str, json.dumps, urllib.parse.quote, lambda t: json.dumps(json.dumps(t)))
    keyed = {case.text for case in cases if "_FAKE" in case.text}
    assert len(keyed) * 200 < len(cases)  # a few: fewer than 1 in 200, as the corpus grows
    found = [
        (case.text[:60], [s.marker for s in redact(form(case.text)).secrets])
        for case in cases
        for form in forms
        if redact(form(case.text)).found != (case.text in keyed)
    ]
    assert found == []


# Normalise first, then find secrets (issue 8, break 3).
@pytest.mark.parametrize(
    "splitter", ["\x1b[0m", "\x1b[1;31m", "\x07", "\x00", "\u200b\u2060", "```", "\x1b[0m```\u200b"]
)
def test_a_key_split_by_colour_codes_control_characters_or_fences_is_caught(
    splitter: str,
) -> None:
    key = "fw_" + fake(24, 61)
    text = f"export KEY={key[:9]}{splitter}{key[9:]}\nError code: 401"
    result = redact(text)
    assert result.secrets == (Secret("fireworks", marker(key, 7)),)
    assert result.text == f"export KEY={marker(key, 7)}\nError code: 401"
    cleaned = prepare(result.text)
    assert key[7:] not in cleaned and key[9:] not in cleaned
    assert redact(cleaned) == Redaction(cleaned, ())


def test_a_fence_line_that_hides_a_key_in_its_language_tag_is_caught() -> None:
    key = "fw_" + fake(24, 62)
    result = redact(f"```{key}\nError code: 401\n```")
    assert result.found and key[7:] not in result.text


NORMALISE_PARTS = st.sampled_from(
    [
        *("\r\n", "\r", "\x1b[31m", "\x1b[0m", "\x1b", "```", "```py\n", "\n```\n", "`"),
        *("\u200b", "\x00", "\ud800", "é", "\n", " ", "a", "Z", "7"),
    ]
)


@SETTINGS
@given(st.lists(NORMALISE_PARTS, max_size=30).map("".join))
def test_normalise_maps_every_character_back_to_where_it_came_from(text: str) -> None:
    clean = normalise(text)
    assert clean.text == prepare(text)
    assert len(clean.source) == len(text)
    for index, char in enumerate(clean.text):
        source = clean.source[clean.to_source(index)]
        assert char == ("\n" if source == "\r" else source)


# What is kept (store, report, scaffolded YAML) loses personal data and other services' tokens.
@pytest.mark.parametrize(
    ("text", "secret", "left"),
    [
        ("contact alice.smith+fw@example.co.uk", "alice.smith", "contact [e-mail]"),
        ("postgres://fwuser:S3cretFAKE@db:5432/app", "S3cretFAKE", "postgres://[credentials]@db"),
        ("https://bob@example.com/x", "bob", "https://[credentials]@example.com/x"),
        ("hf " + "hf_" + fake(34, 1), fake(34, 1), "hf hf_" + MARKER_SUFFIX),
        ("gh " + "ghp_" + fake(36, 2), fake(36, 2), "gh ghp_" + MARKER_SUFFIX),
        ("github_pat_" + fake(40, 3), fake(40, 3), "github_pat_" + MARKER_SUFFIX),
        ("AKIA" + "FAKETESTKEYABCDE", "FAKETESTKEYABCDE", "AKIA"),
        ("jwt eyJhbGciOi.eyJzdWIiOiJGQUtFIn0.FAKEsig", "eyJzdWIi", "jwt eyJ" + MARKER_SUFFIX),
        ("slack xoxb-" + "FAKE-test0-" * 2, "FAKE-test0", "slack xoxb-" + MARKER_SUFFIX),
        ("Authorization: Bearer abcdefghijklmnopq", "abcdefghijklmnopq", "Bearer [redacted]"),
        ("key sk-some-long-fake-name-here", "long-fake", "key sk-" + MARKER_SUFFIX),
        ("password: hunter2FAKE", "hunter2FAKE", "password: [redacted]"),
        ('File "/home/alice/app.py"', "alice", 'File "/home/[user]/app.py"'),
        ('File "/Users/alice/app.py"', "alice", 'File "/Users/[user]/app.py"'),
        ('File "C:\\Users\\alice\\app.py"', "alice", 'File "C:\\Users\\[user]\\app.py"'),
        ('{"f": "C:\\\\Users\\\\alice\\\\a.py"}', "alice", '"C:\\\\Users\\\\[user]\\\\a.py"'),
    ],
)
def test_for_storage_removes_personal_data_and_credentials(
    text: str, secret: str, left: str
) -> None:
    clean = for_storage(text)
    assert secret not in clean
    assert left in clean
    assert for_storage(clean) == clean  # a marker is never cleaned again


@pytest.mark.parametrize(
    "text",
    [
        "API_KEY=${FIREWORKS_API_KEY}",
        "api_key='<your key>'",
        "PASSWORD=****",
        "Bearer required",
        "max_tokens: 4096",
        'File "/srv/app/client.py", line 404',
        MODEL,
    ],
)
def test_for_storage_keeps_placeholders_and_ordinary_text(text: str) -> None:
    assert for_storage(text) == text


def test_scaffolded_examples_still_resolve_where_they_did() -> None:
    """`new --from-report` writes cleaned pastes as examples: each must still resolve alike."""
    knowledge = load_knowledge()
    cleaned = 0
    for case in load_corpus([CORPUS]):
        clean = for_storage(case.text)
        if clean == redact(case.text).text:
            continue
        cleaned += 1
        before = explain(case.text, knowledge, "explicit").decision
        after = explain(clean, knowledge, "explicit").decision
        assert (after.action, after.entry) == (before.action, before.entry), case.text[:200]
    assert cleaned >= 50  # the corpus has home paths, api_key=... lines and bearer tokens
