"""Find "the error line" of a paste: the status line or the final exception line.

Everything that quotes a paste's error (the support checklist, the queue post, the report's
groups and examples, the "Recognised" line) asks this one function, so none of them quotes a
stack frame (`at APIError.generate (file:///...)`), a logger call (`logger.error("failed")`)
or a line of the user's code. The shapes here are grammar (how runtimes print frames and how
code reads), not vocabulary; the evidence the matcher found says which lines hold the error.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import Regex, compile_linear, for_re2, literal
from bot.core.ocr import NO_RULES, OcrRules, mend_statuses

# How runtimes print a stack frame: Node/Java/C# "at ...", Python 'File "...", line N',
# Go's "file.go:N" and goroutine headers, Rust's numbered frames, a caret or tilde underline.
_FRAME = compile_linear(
    r"^\s*(?:"
    r"at\s+\S.*|"
    r"File \"[^\"]*\", line \d+.*|"
    r"\S+\.(?:go|rs|py|js|mjs|cjs|ts|java|kt|rb):\d+(?::\d+)?(?:\s+\+0x[0-9a-f]+)?\)?|"
    r"goroutine \d+ \[.*|"
    r"\d+:\s+(?:0x[0-9a-f]+ - )?[\w:<>]+::.*|"
    r"[~^\s]*[~^]{2,}[~^\s]*|"
    r"\.\.\. \d+ more.*|"
    r"During handling of the above exception.*|"
    r"The above exception was the direct cause.*|"
    r"Traceback \(most recent call last\):?"
    r")\s*$"
)
# A line of code rather than output: a call to a logger or printer, a statement keyword, an
# assignment, a prompt, or a function value in Node's dump of an object ("error: [Function:
# handleRequestError]"). "ERROR:root:..." is output (no call), so it stays.
_CODE = compile_linear(
    r"^\s*(?:>>>|\.\.\.\s|\$\s|#\s|//)"
    r"|\[(?:Function|AsyncFunction|class)\b"
    r"|\b(?:logger|logging|log|console|print|println|printf|fmt\.\w+|warnings|sys\.std\w+)"
    r"(?:\.\w+)*\s*\("
    r"|^\s*(?:if|elif|while|for|with|try|except|catch|else|finally)\b.*[:{]\s*$"
    r"|^\s*(?:raise|throw)\s+\S"
    r"|^\s*(?:return|await)\s+[\w.]+\("
    r"|^\s*(?:import\s+[\w.]+|from\s+[\w.]+\s+import\b|def\s+\w+\(|class\s+\w+[(:]|"
    r"async\s+def\b|function\s*\w*\(|(?:const|let|var)\s+\w+\s*=)"
    r"|^\s*[A-Za-z_][\w.\[\]'\"]*\s*(?:=|\+=)\s*(?:await\s+)?[\w.]+\("
)
# A line of source code, as pasted for review: anchored at the line's start (a diff's `+`/`-`
# read past), so output that merely mentions a call ("KeyError: 'choices' — print(resp) shows
# ...") is not code. A statement or a declaration, a call to a logger, a switch's labels, a
# condition that compares, a `match`/`switch` head, a chained call (`->retry(`, `.then(`), an arm
# (`X => y`, `{:ok, ..} -> f()`), `} catch (e) {`, a bare `return x` or a closing bracket.
_SOURCE = compile_linear(
    r"^[+-]?\s*(?:"
    r">>>\s|\$\s"
    r"|(?:logger|logging|log|console|print|println|printf|fmt\.\w+|warnings|sys\.std\w+)"
    r"(?:\.\w+)*\s*\("
    r"|(?:if|elif|while|for|with|try|except|catch|else|finally|guard)\b[^\n]*[:{]\s*$"
    r"|(?:raise|throw)\s+\S"
    r"|(?:return|await)\s+[\w.]+\("
    r"|(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s+[\w., ]+)\s*$"
    r"|def\s+\w+\(|class\s+\w+[(:]|async\s+def\b|function\s*\w*\(|(?:const|let|var)\s+\w+\s*="
    r"|[A-Za-z_$][\w.\[\]'\"]*\s*(?:=|\+=)\s*(?:await\s+)?[\w.:]+\("
    r"|(?:case\s+[^:\n]+|default)\s*:"
    r"|(?:if|elif|else\s+if|elsif|unless|while)\b[^\n]*(?:===?|!==?|[<>]=|\bin\s*[(\[])"
    r"|(?:match|switch|select)\b[^\n]*\{\s*$"
    r"|(?:->|\.)\w+\("
    r"|\}\s*(?:catch|else|elsif|elif|except|finally|rescue)\b"
    r"|[^\s\['\"][^\n]*\s=>\s[^\n]*[,;{]\s*$"
    r"|\{:\w+,[^\n]*\}\s*->\s"
    r"|(?:break|continue|pass|end)\s*;?\s*$|return(?:\s+\S+)?\s*;?\s*$"
    r"|[{}()\[\];,]+\s*$"
    r")"
)
# The shape of an exception being reported, and of a status in an HTTP context, for pastes
# the matcher found no evidence in (the report reads stored excerpts this way).
_EXCEPTION = compile_linear(
    r"\b[A-Za-z_][\w.]*(?:Error|Exception)\b|^\s*(?:Uncaught\s+)?(?:Error|panic)\b:"
)
_STATUS = compile_linear(
    r"(?:HTTP/[\d.]+|status(?:[ _]?code)?|error[ _]?code|code)\W{0,3}[1-5]\d\d\b", ignore_case=True
)
_ERRORISH = compile_linear(
    r"\b(?:error|errno|fail(?:ed|ure)?|exception|refused|timed? ?out)", ignore_case=True
)
_STRONG = (Kind.EXCEPTION,)
_STATUS_KINDS = (Kind.STATUS,)
_OTHER = (
    Kind.ENVELOPE, Kind.TRANSPORT, Kind.PATTERN, Kind.PROXY, Kind.REASON, Kind.ALIAS, Kind.FUZZY,
)  # fmt: skip


def is_frame(line: str) -> bool:
    """A stack frame, a traceback header or an underline: never the error line."""
    return _FRAME.search(for_re2(line)) is not None


def is_code(line: str) -> bool:
    """A line of the user's code (a logger call, a statement, an assignment): not output."""
    return _CODE.search(for_re2(line)) is not None


def source_lines(text: str, told: tuple[str, ...] = ()) -> dict[int, int]:
    """Where each line of source code in `text` starts, and where its code ends (before a
    trailing comment, or `told`: what a call showed, said after it): what code names there
    is the code's, not a failure it hit."""
    comments = _comment(told)
    lines, start = {}, 0
    for line in text.split("\n"):
        view = for_re2(line)
        if _SOURCE.search(view) is not None:
            comment = comments.search(view, 1)
            lines[start] = start + (comment.start() + 1 if comment else len(line))
        start += len(line) + 1
    return lines


@functools.lru_cache(maxsize=4)
def _comment(told: tuple[str, ...]) -> Regex:
    """Where the code of a line ends and the person's words begin: a comment after it ("//
    prints: fireworks error 413"), or a word of `told` or an arrow after a call's parenthesis
    ("print(resp) gives {...}")."""
    words = "".join(f"{literal(word)}|" for word in told)
    return compile_linear(rf"\s(?://|#)\s|\)\s+(?:{words}->|→|—|--)\s")


def _noise(lines: list[str]) -> list[bool]:
    """Frames and code; the indented line under a Python frame is that frame's source."""
    flags = []
    under_frame = False
    for line in lines:
        frame = is_frame(line)
        source = under_frame and line[:1].isspace()
        flags.append(frame or source or is_code(line) or not line.strip())
        under_frame = frame and line.lstrip().startswith("File ")
    return flags


def _holds(line: str, evidence: Iterable[Evidence], kinds: tuple[Kind, ...], ocr: OcrRules) -> bool:
    # The matcher's evidence holds a look-alike status in digits ("4O1" read as 401).
    mended = mend_statuses(line, ocr)
    return any(
        e.kind in kinds and (key := e.text.strip()) and (key in line or key in mended)
        for e in evidence
    )


_SHAPED = 4  # a score from an exception's or a status's shape, not only error-ish words


def _score(line: str, evidence: tuple[Evidence, ...], ocr: OcrRules) -> int:
    view = for_re2(line)
    exception = _holds(line, evidence, _STRONG, ocr) or _EXCEPTION.search(view) is not None
    status = _holds(line, evidence, _STATUS_KINDS, ocr) or _STATUS.search(view) is not None
    other = _holds(line, evidence, _OTHER, ocr)
    errorish = _ERRORISH.search(view) is not None
    return 5 * exception + 4 * status + 2 * other + errorish


def error_line(
    text: str, evidence: tuple[Evidence, ...] = (), ocr: OcrRules = NO_RULES
) -> str | None:
    """The line that states the error: the one saying most of exception, status and the
    matcher's other evidence, the last of equals (a traceback ends with its exception).
    `ocr`: the look-alikes the matcher read the paste with (`knowledge/signals/ocr.yaml`).

    None when every line is a frame or code, or nothing reads as an error.
    """
    lines = text.splitlines()
    noise = _noise(lines)
    best, best_score = None, 0
    for line, skip in zip(lines, noise, strict=True):
        if skip:
            continue
        score = _score(line, evidence, ocr)
        if score and score >= best_score:
            best, best_score = line.strip(), score
    quoted = best_score < _SHAPED and _quoted_only_in_code(lines, noise, evidence, ocr)
    if best is not None and quoted:
        return None  # "been running with zero failures" under the snippet is not the error
    return best


def _quoted_only_in_code(
    lines: list[str], noise: list[bool], evidence: tuple[Evidence, ...], ocr: OcrRules
) -> bool:
    """The matcher's status or exception is there, but only in frames and code lines."""
    kinds = _STRONG + _STATUS_KINDS
    if not any(e.kind in kinds and e.text.strip() for e in evidence):
        return False
    output = (line for line, skip in zip(lines, noise, strict=True) if not skip)
    return not any(_holds(line, evidence, kinds, ocr) for line in output)
