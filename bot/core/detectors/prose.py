"""The words around a paste: a report, or thanks, a question, a plan, a lesson.

The words are in `knowledge/signals/prose.yaml`; this module decides only where to read them
(the opening and closing prose of a long paste, never its middle).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.core.detectors.prose_screen import Narrow, narrowing
from bot.core.error_line import is_code, is_frame
from bot.core.linear_re import Match, Regex, compile_linear, for_re2
from bot.core.paste import Paste
from bot.core.vocabulary import Signals
from bot.core.words import letter_runs

# Thanks, "it was our proxy" and questions live in the prose around a paste, never deep inside.
PROSE_CHARS = 1500


@dataclass(frozen=True, slots=True)
class Prose:
    """What the prose says, as flags."""

    report_words: bool = False
    resolved: bool = False
    not_fireworks: bool = False  # "not fireworks", "unrelated to fireworks"
    own_system: bool = False  # "that 502 came from our nginx"
    own_gateway: bool = False  # "our nginx in front of fireworks returns 502": its own answer
    gateway_fronts: bool = False  # "traefik in front of my fireworks proxy": a gateway's status
    gateway_replied: bool = False  # ... and its own reply body is pasted (Vercel's error page)
    gateway_refused: bool = False  # "RBAC: access denied" on a Fireworks call: the gateway's
    fireworks_answered: bool = False  # "fireworks returns 502 through our nginx"
    question: bool = False  # a question that opens with a question word
    hypothetical: bool = False  # "if we ever get a 412 ..."
    teaching: bool = False  # "TIL a 520 means ...", "reminder: paste the whole error"
    asks: bool = False  # any question mark at all
    how_to: bool = False  # "how do I get JSON mode?": asks how to do something, reports nothing
    failing: tuple[int, int] | None = None  # "the API doesn't work": where it says so
    error_said: tuple[int, int] | None = None  # "Fireworks geeft een fout": an error, no more
    own_failure: bool = False  # "my parser crashes": what fails is the person's own, not the API
    owned: bool = False  # "forgot to init state, nvm": the writer says the failure is theirs
    model_behaviour: bool = False  # "the model keeps repeating itself": its answers, no failure
    quoting: int = -1  # where "from the docs: 429 Too Many Requests ..." begins to quote
    past: bool = False  # "we saw 502s last month during the incident"
    asks_meaning: bool = False  # "what does a 520 mean?"
    ongoing: bool = False  # "I keep getting it": whatever else it says, this is a report
    outage: bool = False  # "fw down?": asking whether it is down reports that it seems so
    someone_else: bool = False  # "my friend keeps getting 401": another person's error
    topic: bool = False  # "would be nice if 429s had retry-after": a status as a topic

    def mention(self, first_status: int | None, shown: bool = False) -> bool:
        """The text names an error without reporting one it is hitting now.

        A quote of the docs counts only when it opens before the first status it could quote
        ("404 on /v1/embeddings?? docs say it exists" reports the 404), and a question about
        what a code means only when its status line isn't `shown` apart from the question.
        """
        quotes = self.quoting >= 0 and (first_status is None or self.quoting <= first_status)
        asks = self.asks_meaning and not shown
        return (quotes or self.past or asks) and not self.ongoing


def reports(paste: Paste, signals: Signals) -> bool:
    """Whether the text says something failed: a report word, stem or phrase, outside the
    errors it quotes inline ("does 'redirects hit maximum' count against my limit?")."""
    said = _unquoted(paste.lowered)
    words = paste.words if said == paste.lowered else frozenset(letter_runs(said))
    return (
        not words.isdisjoint(signals.report_words)
        or any(word.startswith(signals.report_stems) for word in words)
        or any(phrase in said for phrase in signals.report_phrases)
    )


# An error quoted inline in a sentence ("we saw 'Web server is returning an error' last
# month"): its words are the error's, not the person's, so they don't say it is ongoing.
_QUOTED = compile_linear(
    # a single quote opens and closes at a word's edge: "isn't ... can't" is not a quote
    r"(?:^|[^\w'])'[^'\n]{3,160}'(?:[^\w']|$)|\"[^\"\n]{3,160}\"|`[^`\n]{3,160}`",
    multiline=True,
)


def inline_quotes(text: str) -> list[tuple[int, int]]:
    """Where each short quote in a sentence is: an error named in one, not pasted. A quote
    alone on its line is a paste ("why does fireworks reject this?\n`Extra inputs ...`")."""
    if "{" in text or not any(mark in text for mark in "'\"`"):
        return []  # a JSON or dict body's quotes are its fields, not a quote in a sentence
    return [
        match.span()
        for match in _QUOTED.finditer(text)
        if not _alone_on_its_line(text, *match.span())
    ]


def _alone_on_its_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    after = text[end:] if line_end < 0 else text[end:line_end]
    return not text[line_start:start].strip() and not after.strip()


def _unquoted(text: str) -> str:
    """The text with each short quote in a sentence blanked, positions kept."""
    out = list(text)
    for start, end in inline_quotes(text):
        out[start:end] = " " * (end - start)
    return "".join(out)


def _resolved(prose: str, signals: Signals, may: Narrow, mocking: bool = False) -> bool:
    """Thanks or 'fixed', but not 'thanks in advance' or 'fixed nothing', nor 'fixed that,
    now it's 429': what was fixed is an older failure, and a new one follows. Nor thanks
    alone beside a tool's failure sentence in quotes (`mocking`): ""Something went wrong" ...
    thanks librechat" mocks the tool; a fix says so ("fixed", "works now")."""
    resolved, new_failure = may(signals.resolved), may(signals.new_failure)
    if resolved is None:
        return False
    for match in resolved.finditer(prose):
        start, end = match.span()
        if mocking and match[0] in signals.thanks:
            continue
        if prose.startswith(signals.not_resolved, start):
            continue  # "thanks in advance"
        if any(prose.endswith(phrase, 0, end) for phrase in signals.not_resolved):
            continue  # "could not be resolved"
        if new_failure is not None and new_failure.search(prose, end):
            continue  # "fixed that, now it's `RateLimitError`"
        return True
    return False


OPENING_WORDS = 3  # "ay pregunta rápida: ¿...?": a few words may announce the question


def _opens_with_inverted(raw: str) -> bool:
    """A message that opens with a Spanish question ("¿está caído?", "Pregunta: ¿el 413...?"):
    Spanish marks where a question starts, so one that starts the message asks, as an opening
    question word does in English ("401 después de rotar la key, ¿hay caché?" reports)."""
    head, inverted, _ = raw.partition("\u00bf")
    return bool(inverted) and len(head.split()) <= OPENING_WORDS


def prose(paste: Paste, signals: Signals) -> Prose:
    """Read the prose of a paste with the signals' word lists."""
    text, raw = paste.view_lowered, for_re2(paste.lowered)  # raw: any script, as written
    if len(text) > 2 * PROSE_CHARS:
        text = text[:PROSE_CHARS] + "\n" + text[-PROSE_CHARS:]
        raw = raw[:PROSE_CHARS] + "\n" + raw[-PROSE_CHARS:]
    ascii = paste.text.isascii()  # then the view and the text as written read the same
    may = narrowing(signals, text)  # the lists that may match the view, in one pass
    may_raw = may if raw == text else narrowing(signals, raw)
    asks = "?" in text or (not ascii and "\uff1f" in raw)  # a full-width question mark too
    head = raw[:PROSE_CHARS]  # a report says so up front
    failing_word = _first(may_raw(signals.failing), head)  # read by both rules below
    failing = _failing(head, failing_word, signals, may_raw)
    # a tool's own failure sentence quoted ("Something went wrong ...") with thanks: mocking
    mocking = failing is not None and any(
        start <= failing[0] and failing[1] <= end for start, end in inline_quotes(paste.text)
    )
    return Prose(
        failing=failing,
        own_failure=_own_failure(head, failing_word, signals),
        owned=_search(may_raw(signals.owned), raw),
        model_behaviour=_search(may(signals.model_behaviour), text),
        error_said=None if failing else _error_said(head, signals, may_raw),
        report_words=reports(paste, signals),
        resolved=_resolved(text, signals, may, mocking)
        or (not ascii and _resolved(raw, signals, may_raw, mocking)),
        not_fireworks=_not_fireworks(text, signals, may)
        or (not ascii and _not_fireworks(raw, signals, may_raw))  # in its own letters (tr, es)
        or _elsewhere(text, signals),
        someone_else=_someone_else(text, signals) or (not ascii and _someone_else(raw, signals)),
        topic=_search(may(signals.status_topics), text),
        own_system=_search(may(signals.own_system), text),
        own_gateway=_search(may(signals.own_gateway), text),
        gateway_fronts=_gateway_fronts(text, signals, may)
        or (not ascii and _gateway_fronts(raw, signals, may_raw)),  # in ja: "Dify's side"
        gateway_replied=_search(may(signals.gateway_replies), text),
        gateway_refused=_search(may(signals.gateway_refusals), text)
        and _search(may(signals.fireworks_names), text),
        fireworks_answered=_search(may(signals.fireworks_answered), text),
        question=asks
        and (
            _search(may(signals.question), text)
            or (not ascii and _search(may_raw(signals.question), raw))  # "请问 ..." asks
            or _opens_with_inverted(raw)
        ),
        hypothetical=_search(may(signals.hypothetical), text)
        or (not ascii and _search(may_raw(signals.hypothetical), raw)),
        teaching=_search(may(signals.teaching), text)
        or (not ascii and _search(may_raw(signals.teaching), raw)),  # "共有まで": just sharing
        asks=asks,
        how_to=asks
        and (
            _search(may(signals.how_to), text)
            or (not ascii and _search(may_raw(signals.how_to), raw))  # "Как включить ...?"
        ),
        quoting=_where(may_raw(signals.quoting), raw),
        past=_search(may_raw(signals.past), raw),
        asks_meaning=_search(may_raw(signals.asks_meaning), raw),
        ongoing=_affirmed(signals.ongoing, _unquoted(raw), signals.negations),
        outage=_search(may_raw(signals.outage), raw),
    )


def _not_fireworks(text: str, signals: Signals, may: Narrow) -> bool:
    """It isn't Fireworks ("fireworks is fine", "stripe returns 402"), unless what is fine is a
    sibling of what fails: "... the fireworks qwen model. other fireworks models fine"."""
    not_fireworks = may(signals.not_fireworks)
    if not_fireworks is None:
        return False
    for match in not_fireworks.finditer(text):
        head = " " + text[: match.start()].rstrip()
        if not any(head.endswith(" " + word) for word in signals.siblings):
            return True
    return False


def _elsewhere(text: str, signals: Signals) -> bool:
    """Another service gave the status ("openrouter gives me 502", "429 from discord"), and
    nothing after it on its line says Fireworks' answer is inside ("... 502 from fireworks",
    "Fireworks_aiException"): a router in front passing Fireworks' status on is Fireworks'."""
    if signals.elsewhere is None:
        return False
    for match in signals.elsewhere.finditer(text):
        line_end = text.find("\n", match.end())
        rest = text[match.start() : len(text) if line_end < 0 else line_end]
        wrapped = signals.wrapped_fireworks
        if wrapped is None or wrapped.search(rest) is None:
            return True
    return False


def _someone_else(text: str, signals: Signals) -> bool:
    """Another person gets the error ("meu amigo tá com erro 401", "someone on stackoverflow
    asked about ..."), and the writer doesn't say they get it too ("same here", "I get it too")."""
    if signals.someone_else is None or signals.someone_else.search(text) is None:
        return False
    return signals.me_too is None or signals.me_too.search(text) is None


def _gateway_fronts(text: str, signals: Signals, may: Narrow) -> bool:
    """A line that names a gateway (or holds its own reply), a relation and Fireworks: "API
    Gateway -> Lambda -> fireworks", "traefik in front of my fireworks proxy" (not "nginx in
    front of our app returns 502", which may be about anything)."""
    fronting, names = may(signals.fronting), may(signals.fireworks_names)
    if signals.gateways is None or fronting is None or names is None or names.search(text) is None:
        return False
    gateways = may(signals.gateways)  # None here: no line names a gateway, but one may reply
    # a gateway's own reply body (Vercel's FUNCTION_INVOCATION_FAILED page) takes a few lines,
    # and the person relates it to Fireworks on another: "my /api/chat uses fireworks"
    replied = _search(may(signals.gateway_replies), text)
    return any(
        names.search(line) is not None
        and (replied or (gateways is not None and gateways.search(line) is not None))
        and fronting.search(line) is not None
        for line in text.splitlines()
    )


def _failing(
    head: str, failing: Match | None, signals: Signals, may: Narrow
) -> tuple[int, int] | None:
    """Where the text's head says that Fireworks (the API, a model, requests) fails, in any
    language.

    `failing`: the head's first failure word; `may`: the lists that may match the text as
    written, of which the head is a part."""
    if signals.failing is None or signals.failing_what is None:
        return None
    outage = _first(may(signals.outage), head)
    if outage is not None:
        return outage.span()
    what = _first(may(signals.failing_what), head) or _first(may(signals.fireworks_names), head)
    if what is None:
        return None
    if failing is not None:
        return failing.span()
    return (
        _persisting(head, signals, may)
        or _errors_got(head, signals, may)
        or _misspelt(head, signals)
    )


def _errors_got(head: str, signals: Signals, may: Narrow) -> tuple[int, int] | None:
    """Where an error noun stands as what the person gets or sees ("getting errors since 10
    min on all models", "seeing weird errors on every call"), not counted none nor a topic."""
    nouns = may(signals.error_nouns)
    if nouns is None or not signals.receiving:
        return None
    start = 0
    for line in head.split("\n"):
        for noun in nouns.finditer(line):
            before = line[: noun.start()].split()[-RECEIVING_REACH:]
            near = [word.strip(_PUNCTUATION) for word in before]
            got = any(word in signals.receiving for word in near)
            denied = any(word in signals.negations or word.endswith("n't") for word in near)
            if got and not denied and not _errors_as_subject(line, noun, signals):
                return start + noun.start(), start + noun.end()
        start += len(line) + 1
    return None


RECEIVING_REACH = 4  # "getting errors", "getting weird errors", "got a bunch of errors"


def _own_failure(head: str, failing: Match | None, signals: Signals) -> bool:
    """The first thing the head says fails is the person's own code or tooling ("my parser
    crashes", "vercel build failed", "our dashboard shows error rate 0.4%"), not named as
    Fireworks' ("the fireworks dashboard shows errors"): an unknown failure a human at
    Fireworks has nothing to look at in. `failing`: the head's first failure word."""
    if failing is None or not signals.own_things:
        return False
    line = head[head.rfind("\n", 0, failing.start()) + 1 : failing.start()]
    words = [w.strip(_PUNCTUATION) for w in line.split()]
    for i in range(max(0, len(words) - OWN_REACH), len(words)):
        if words[i] in signals.own_things:
            return i == 0 or words[i - 1] not in signals.not_own_before
    return False


OWN_REACH = 2  # "my parser crashes", "our dashboard shows error rate"


def _persisting(head: str, signals: Signals, may: Narrow) -> tuple[int, int] | None:
    """Where an error noun stands in a message that says it keeps coming ("error terus dari
    tadi", "eror everytime"): many languages report so, with no verb of failure at all."""
    if _first(may(signals.persistence), head) is None:
        return None
    match = _first(may(signals.error_nouns), head)
    return match.span() if match is not None else None


def _error_said(head: str, signals: Signals, may: Narrow) -> tuple[int, int] | None:
    """Where a line the person wrote names Fireworks and an error, in any language ("Fireworks
    geeft steeds een fout", "fireworks থেকে শুধু error দেখাচ্ছে"): a report that says no more.
    Not in code or a frame, nor a quote, nor errors counted none or talked about as a subject.

    `may`: the lists that may match the text as written; its head with quotes and links
    blanked holds no word the text doesn't."""
    nouns, names = may(signals.error_nouns), may(signals.fireworks_names)
    if nouns is None or names is None:
        return None
    head = _URL.sub(_blank, _unquoted(head))
    start = 0
    for line in head.split("\n"):
        if names.search(line) is not None and not is_code(line) and not is_frame(line):
            for match in nouns.finditer(line):
                if not _errors_as_subject(line, match, signals):
                    return start + match.start(), start + match.end()
        start += len(line) + 1
    return None


def _errors_as_subject(line: str, noun: Match, signals: Signals) -> bool:
    """ "0 errors", "no errors"; "error rates", "handling fireworks errors", a compound that
    ends in the topic ("Fehlercodes", "foutcodes"): no error is hit."""
    if _named_in_code(line, noun.start(), noun.end()):
        return True
    word = noun.group(0).lower()
    if any(word.endswith(topic) and word != topic for topic in signals.error_topics_after):
        return True
    before = line[: noun.start()].rstrip()
    after = line[noun.end() :].split(maxsplit=1)
    if after and after[0].strip(_PUNCTUATION) in signals.error_topics_after:
        return True
    near = [word.strip(_PUNCTUATION) for word in before.split()[-SUBJECT_REACH:]]
    if any(word in signals.no_errors or word in signals.error_topics_before for word in near):
        return True
    return any(
        _ends_with_word(before, phrase)
        for phrase in (*signals.no_errors, *signals.error_topics_before)
    )


SUBJECT_REACH = 3  # words before the noun: "check for fireworks errors"
_PUNCTUATION = ".,;:!?()[]{}'\"`*"
_URL = compile_linear(r"\b(?:https?://|www\.)\S+")


def _blank(match: Match) -> str:
    return " " * (match.end() - match.start())


def _named_in_code(line: str, start: int, end: int) -> bool:
    """The noun is a name in code: a key or a field (`{error: 'boom'}`, `resp.error`,
    `error=`, `on_error(`), not a word said of a failure. A full stop that ends the sentence
    ("fireworks is giving me an error.") is no attribute: one is followed by its name."""
    before = line[:start].rstrip("'\"")
    after = line[end:].lstrip("'\"")
    attribute = after.startswith(".") and (after[1:2].isalnum() or after[1:2] == "_")
    return (
        before.endswith(("{", ".", "_", "(", "[")) or after.startswith(("=", "_", "(")) or attribute
    )


def _ends_with_word(text: str, phrase: str) -> bool:
    """`text` ends with `phrase` as a whole word (a phrase in a script without spaces, "没有",
    may touch what comes before it)."""
    if not text.endswith(phrase):
        return False
    cut = len(text) - len(phrase)
    return cut == 0 or not phrase[0].isascii() or not text[cut - 1].isalnum()


MISSPELT_MIN = 5  # a shorter word is one edit from too many others ("fail": "hail", "mail")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _misspelt(head: str, signals: Signals) -> tuple[int, int] | None:
    """Where a word one edit from a failure word (same first letter, 5+ letters) stands for it:
    "keeps faling"."""
    regex = _one_edit(signals.misspelt_failing, signals.not_misspelt)
    match = regex.search(head) if regex is not None else None
    return match.span() if match is not None else None


@functools.lru_cache(maxsize=4)
def _one_edit(words: tuple[str, ...], real: frozenset[str]) -> Regex | None:
    """One RE2 alternation of every word one edit from `words` (a letter dropped, added or
    changed, or two side by side swapped; never the first letter), but `real` words: a single
    search per paste, where comparing each of its words with each failure word was slow."""
    variants: set[str] = set()
    for word in words:
        for i in range(1, len(word) + 1):
            variants.update(word[:i] + letter + word[i:] for letter in _ALPHABET)
            if i < len(word):
                variants.add(word[:i] + word[i + 1 :])
                variants.update(word[:i] + letter + word[i + 1 :] for letter in _ALPHABET)
            if i < len(word) - 1:
                variants.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    variants = {v for v in variants if len(v) >= MISSPELT_MIN} - set(words) - real
    if not variants:
        return None
    return compile_linear(rf"\b(?:{'|'.join(sorted(variants))})\b")


def _affirmed(regex: Regex | None, text: str, negations: tuple[str, ...]) -> bool:
    """`regex` matches somewhere not right after a negation: "not hitting it" says it isn't."""
    if regex is None:
        return False
    for match in regex.finditer(text):
        before = text[max(0, match.start() - NEGATION_REACH) : match.start()].rstrip()
        if not any(_ends_with_word(before, negation) for negation in negations):
            return True
    return False


def _ends_with_word(text: str, word: str) -> bool:
    """`text` ends with `word` as a whole word ("... gone" doesn't end with French "ne"); a
    contraction's ending ("n't") ends its word."""
    if not text.endswith(word):
        return False
    start = len(text) - len(word)
    return "'" in word or start == 0 or not text[start - 1].isalnum()


NEGATION_REACH = 12  # "haven't been " before "getting it"


def _first(regex: Regex | None, text: str) -> Match | None:
    """The first match of `regex` in `text`; None if there is none, or no regex."""
    return regex.search(text) if regex is not None else None


def _where(regex: Regex | None, text: str) -> int:
    """Where `regex` first matches in `text`, or -1."""
    match = regex.search(text) if regex is not None else None
    return match.start() if match is not None else -1


def _search(regex: object, text: str) -> bool:
    return regex is not None and regex.search(text) is not None  # type: ignore[attr-defined]
