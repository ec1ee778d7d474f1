"""The PR check's knowledge diff: the corpus answered by the base branch and by the PR.

Each side runs its own code on its own knowledge, so a change to a detector, to
`knowledge/signals/` or to an entry shows up alike:

    PYTHONPATH=/tmp/base python .ci/knowledge_diff.py verdicts /tmp/base/knowledge \
        tests/corpus/*.jsonl > base.jsonl
    python .ci/knowledge_diff.py verdicts knowledge tests/corpus/*.jsonl > pr.jsonl
    python .ci/knowledge_diff.py report base.jsonl pr.jsonl >> "$GITHUB_STEP_SUMMARY"

`verdicts` uses only what every version of the code has (`load_knowledge`, `diagnose`), and
reads the corpus itself, so labels the base code doesn't know yet don't stop it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXCERPT = 90


def verdicts(knowledge_dir: str, corpus: list[str]) -> None:
    from bot.core.matcher import diagnose

    try:
        from bot.knowledge.load import load_knowledge
    except ImportError:  # a base branch from before the knowledge package (bot.core.load then)
        from bot.core.load import load_knowledge  # type: ignore[no-redef]

    knowledge = load_knowledge(Path(knowledge_dir))
    for name in corpus:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            case = json.loads(line)
            decision = diagnose(case["text"], knowledge, "passive")
            verdict = {
                "source": f"{Path(name).name}:{number}",
                "expected": str(case.get("expected")),
                "text": " ".join(case["text"].split())[:EXCERPT],
                "action": decision.action,
                "code": decision.entry.code if decision.entry else None,
                "entry": decision.entry.id if decision.entry else None,
            }
            print(json.dumps(verdict, ensure_ascii=False))


def _right(verdict: dict) -> bool:
    expected, action = verdict["expected"], verdict["action"]
    if expected == "none":
        return action == "ignore"
    if expected == "unknown":
        return action == "escalate" and verdict["entry"] is None
    if not expected.isdigit():  # an entry with no status
        return action == "answer" and verdict["entry"] == expected
    return action in ("answer", "escalate") and verdict["code"] == expected


def _shown(verdict: dict | None) -> str:
    if verdict is None:
        return "(not in this corpus)"
    target = verdict["entry"] or verdict["code"] or ""
    return f"{verdict['action']} {target}".strip()


def report(base_file: str, pr_file: str) -> None:
    base = {v["source"]: v for v in map(json.loads, Path(base_file).read_text().splitlines())}
    pr = {v["source"]: v for v in map(json.loads, Path(pr_file).read_text().splitlines())}
    moved = [s for s in pr if s not in base or _shown(base[s]) != _shown(pr[s])]
    base_right = sum(_right(v) for s, v in base.items() if s in pr)
    pr_right = sum(map(_right, pr.values()))
    print("## Knowledge diff: base branch (code + knowledge) vs this PR\n")
    print(f"Corpus: {len(pr)} cases. Right: base {base_right}, this PR {pr_right}.\n")
    if not moved:
        print("No answer changed.")
        return
    print(f"{len(moved)} answer(s) changed:\n")
    print("| case | expected | base | this PR | | text |")
    print("|---|---|---|---|---|---|")
    for source in moved:
        after, before = pr[source], base.get(source)
        mark = "✅" if _right(after) else "❌"
        text = after["text"].replace("|", "\\|").replace("`", "'")
        print(
            f"| {source} | {after['expected']} | {_shown(before)} | {_shown(after)} | {mark} "
            f"| `{text}` |"
        )


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "verdicts":
        verdicts(rest[0], rest[1:])
    elif command == "report":
        report(rest[0], rest[1])
    else:
        sys.exit(f"unknown command {command!r}: use verdicts or report")
