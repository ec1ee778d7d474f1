"""Decide which known error a paste is about, and whether to answer, escalate or stay quiet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bot.core.decision import Candidate, Decision, Mode
from bot.core.extract import Findings, extract
from bot.core.index import Hit
from bot.core.model import Entry, Knowledge
from bot.core.prepare import prepare
from bot.core.status_names import COMMON_PHRASES, REASON_PHRASES
from bot.core.statuses import STRONG

PASSIVE_THRESHOLD = 0.55
SHORT_MESSAGE_WORDS = 8
# A status printed in an HTTP context outranks a message string or an exception class.
PINNING_WEIGHT = STRONG * 0.75


@dataclass(slots=True)
class _Score:
    """Evidence for a code or an entry: the strongest of each kind, so repeats don't pile up."""

    best: dict[str, float] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)

    def add(self, label: str, weight: float) -> None:
        kind = label.partition(":")[0]
        kind = kind if kind in ("status", "exception", "envelope", "pattern") else "phrase"
        self.best[kind] = max(self.best.get(kind, 0.0), weight)
        if label not in self.evidence:
            self.evidence.append(label)

    @property
    def total(self) -> float:
        return sum(self.best.values())


def _code_scores(found: Findings) -> dict[str, _Score]:
    scores: dict[str, _Score] = defaultdict(_Score)
    for signal in found.signals:
        scores[signal.code].add(signal.label, signal.weight)
    return scores


def _confidence(best: float, runner_up: float) -> float:
    """Saturating in the evidence, discounted when another code is nearly as likely."""
    strength = best / (best + 1.5)
    return max(0.0, min(0.99, strength * (1 - 0.35 * runner_up / best)))


def _rank(knowledge: Knowledge, found: Findings, hits: list[Hit]) -> list[Candidate]:
    codes = _code_scores(found)
    pinned = {s.code for s in found.signals if s.weight >= PINNING_WEIGHT and "status:" in s.label}
    own: dict[str, _Score] = defaultdict(_Score)
    hit_entries: dict[str, list[Entry]] = defaultdict(list)
    for hit in hits:
        own[hit.entry.id].add(hit.label, hit.weight)
        codes.setdefault(hit.entry.code, _Score())
        if hit.entry not in hit_entries[hit.entry.code]:
            hit_entries[hit.entry.code].append(hit.entry)
    scored: list[tuple[float, Entry, list[str]]] = []
    for code, code_score in codes.items():
        if pinned and code not in pinned:
            continue
        # Entries without hits of their own can only tie: a few stand in for the rest.
        default = knowledge.for_code(code)[:3]
        for entry in dict.fromkeys([*default, *hit_entries[code]]):
            specific = own.get(entry.id, _Score())
            total = code_score.total + specific.total + (0.05 if entry.generic else 0.0)
            if total > 0.05:
                scored.append((total, entry, code_score.evidence + specific.evidence))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    if not scored:
        return []
    best_code = scored[0][1].code
    runner_up = next((s for s, e, _ in scored if e.code != best_code), 0.0)
    return [
        Candidate(
            entry, _confidence(total, runner_up if entry.code == best_code else total), tuple(ev)
        )
        for total, entry, ev in scored[:5]
    ]


def _unknown_evidence(found: Findings, knowledge: Knowledge) -> list[str]:
    """Why the text is an error report that no entry covers, if it is one."""
    evidence = [s.label for s in found.signals if s.code not in knowledge.by_code]
    evidence += found.transport
    if found.server_error_class:
        evidence.append("exception:InternalServerError (status not shown)")
    return evidence


def _chatter(found: Findings, asserted: bool) -> bool:
    """Passive mode stays out of thanks, 'it was our proxy' and questions that report nothing.

    `asserted`: the text states the error (an HTTP status line, a message string, a class).
    Someone whose own proxy blocks Fireworks and who asks for help is not chatter, though.
    """
    paste = found.traceback or found.error_body
    if found.teaching and not paste:
        return True
    blocked = found.asks and bool(found.transport)  # "our proxy blocks Fireworks, help?"
    if not paste and (found.resolved or (found.not_fireworks and not blocked)):
        return True
    if found.hypothetical:
        return not asserted
    return found.question and not found.report_words and not asserted


def diagnose(text: str, knowledge: Knowledge, mode: Mode = "explicit") -> Decision:
    """Rank the entries for `text` and decide what the bot should do with it."""
    chosen = knowledge.by_id.get(text.strip()) if mode == "explicit" else None
    if chosen is not None:  # an autocomplete pick names its entry
        return _verdict(Candidate(chosen, 0.99, (f"entry:{chosen.id}",)), [])
    prepared = prepare(text)
    found = extract(prepared)
    hits = knowledge.index.hits(prepared, exact_evidence=bool(found.signals))
    candidates = _rank(knowledge, found, hits)
    unknown = _unknown_evidence(found, knowledge)
    best = candidates[0] if candidates else None
    # A transport failure explains the paste unless a status or a message string says otherwise.
    transport_last = found.transport_last or (
        bool(found.transport)
        and not any(
            label.startswith(("status:", "pattern:", "envelope:")) for label in _labels(best)
        )
    )

    if mode == "explicit":
        if best is None or transport_last:
            return Decision("escalate", None, 0.0, tuple(unknown), tuple(candidates))
        return _verdict(best, candidates)

    strong = any(_is_strong(label) for label in _labels(best))
    # A question that only mentions a status ("do 429 responses carry Retry-After?") is chatter.
    asserted = any(
        label.startswith(("pattern:", "envelope:", "exception:")) for label in _labels(best)
    ) or any(s.weight >= PINNING_WEIGHT for s in found.signals)
    if _chatter(found, asserted):
        return Decision("ignore", None, 0.0, (), tuple(candidates))
    reported = strong or found.report_words or found.word_count <= SHORT_MESSAGE_WORDS
    if best and not transport_last and best.confidence >= PASSIVE_THRESHOLD and reported:
        return _verdict(best, candidates)
    if unknown and found.looks_like_report:
        return Decision("escalate", None, 0.0, tuple(unknown), tuple(candidates))
    return Decision("ignore", None, 0.0, (), tuple(candidates))


def _is_strong(label: str) -> bool:
    """Statuses, classes and message strings; a standard reason phrase, or one naming a code."""
    kind, _, text = label.partition(":")
    phrase = text.rpartition(":")[2]  # a fuzzy label ends with the phrase it matched
    if any(char.isdigit() for char in phrase):  # "cloudflare 520"
        return True
    return kind not in ("alias", "reason", "fuzzy") or (
        phrase in REASON_PHRASES and phrase not in COMMON_PHRASES
    )


def _labels(candidate: Candidate | None) -> tuple[str, ...]:
    return candidate.evidence if candidate else ()


def _verdict(best: Candidate, candidates: list[Candidate]) -> Decision:
    action = "escalate" if best.entry.escalate else "answer"
    return Decision(action, best.entry, best.confidence, best.evidence, tuple(candidates))
