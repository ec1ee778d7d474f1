"""Compare OCR engines on the first pictures of the screenshot corpus: how to pick one.

`python benchmarks/compare_ocr_engines.py [--count N]`: for RapidOCR (the `ocr` extra) and
Tesseract (Debian's `tesseract-ocr` through `pytesseract`, installed by hand for this script
only), prints per engine: character accuracy against the text each picture shows, the share
of pictures whose passive verdict equals the verdict on that text, milliseconds per picture
and per 1920x1080 picture, peak RSS of a process with the engine loaded that read one picture,
and the install size. Everything runs offline.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.evaluate import Verdict  # noqa: E402
from bot.core.matcher import diagnose  # noqa: E402
from bot.knowledge.load import load_knowledge  # noqa: E402
from bot.screenshots.images import Limits, open_picture  # noqa: E402
from bot.screenshots.normalise import normalise  # noqa: E402
from bot.screenshots.reading import confusions_for, reading  # noqa: E402
from bot.screenshots.worker import find_text  # noqa: E402
from tools.screenshot_factory.generate import read_manifest, render  # noqa: E402

RSS_PROBE = """
import resource, sys
sys.path.insert(0, {root!r})
from pathlib import Path
data = Path({picture!r}).read_bytes()
{body}
# VmHWM: this process's own peak (ru_maxrss would keep the parent's across exec); and the
# peak of any child (Tesseract runs as one).
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
"""
RAPID_BODY = """
from bot.screenshots.images import Limits
from bot.screenshots.worker import find_text
find_text(data, Limits())
"""
TESSERACT_BODY = """
import pytesseract
from bot.screenshots.images import Limits, open_picture
pytesseract.image_to_string(open_picture(data, Limits()))
"""


def _tesseract(data: bytes) -> str:
    import pytesseract

    return pytesseract.image_to_string(open_picture(data, Limits()))


def _site_size(*names: str) -> int:
    import importlib.util

    total = 0
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        folder = Path(spec.origin).parent
        total += sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        libs = folder.parent / f"{folder.name.replace('_', '-')}.libs"
        for extra in (libs, folder.parent / f"{name}.libs", folder.parent / "opencv_python.libs"):
            if name == "cv2" or extra != folder.parent / "opencv_python.libs":
                total += (
                    sum(f.stat().st_size for f in extra.rglob("*") if f.is_file())
                    if extra.exists()
                    else 0
                )
    return total


def _dpkg_size(*packages: str) -> int:
    if shutil.which("dpkg-query") is None:
        return 0
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Installed-Size}\\n", *packages],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return sum(int(x) for x in out.split()) * 1024


def _rss(body: str, picture: Path) -> int:
    code = RSS_PROBE.format(root=str(ROOT), picture=str(picture), body=body)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--skip", type=int, default=0, help="start after this many pictures")
    parser.add_argument("--out", type=Path, default=Path("/tmp/fwerror-compare-ocr"))
    args = parser.parse_args()
    knowledge = load_knowledge()
    confusions = confusions_for(knowledge)
    shots = [shot for shot in read_manifest() if shot.source][args.skip : args.skip + args.count]
    args.out.mkdir(parents=True, exist_ok=True)
    pictures = []
    for shot in shots:
        drawn = render(shot)
        buffer = io.BytesIO()
        drawn.image.save(buffer, "PNG")
        pictures.append((shot, buffer.getvalue(), "\n".join(drawn.shown)))
    big = next(p for p in pictures if p[0].width == 1920)
    (args.out / "probe.png").write_bytes(big[1])
    engines: dict[str, Callable[[bytes], str]] = {
        "rapidocr": lambda data: reading(find_text(data, Limits()), confusions).text,
        "tesseract": lambda data: normalise(_tesseract(data), confusions),
    }
    results = {}
    for name, read in engines.items():
        similarity, same, times, full_hd = [], 0, [], []
        by_look: dict[str, list[int]] = {}
        for shot, data, shown in pictures:
            started = time.perf_counter()
            text = read(data)
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            if (shot.width, shot.height) == (1920, 1080):
                full_hd.append(elapsed)
            similarity.append(
                Levenshtein.normalized_similarity(" ".join(text.split()), " ".join(shown.split()))
            )
            want = Verdict.of(diagnose(shown, knowledge, "passive"))
            hit = Verdict.of(diagnose(text, knowledge, "passive")) == want
            same += hit
            look = by_look.setdefault("phone-photo" if shot.phone else shot.look, [0, 0])
            look[0] += hit
            look[1] += 1
        body = RAPID_BODY if name == "rapidocr" else TESSERACT_BODY
        results[name] = {
            "pictures": len(pictures),
            "char_accuracy": round(statistics.mean(similarity), 3),
            "verdict_same_as_text": f"{same}/{len(pictures)}",
            "by_look": {name: f"{a}/{b}" for name, (a, b) in sorted(by_look.items())},
            "ms_per_picture": round(1000 * statistics.mean(times)),
            "ms_per_1920x1080": round(1000 * statistics.mean(full_hd)) if full_hd else None,
            "rss_mib_engine_loaded": round(_rss(body, args.out / "probe.png") / 2**20),
            "install_mib": round(
                (
                    _site_size(
                        "rapidocr_onnxruntime",
                        "onnxruntime",
                        "cv2",
                        "numpy",
                        "shapely",
                        "pyclipper",
                        "PIL",
                    )
                    if name == "rapidocr"
                    else _site_size("pytesseract", "PIL", "numpy")
                    + _dpkg_size(
                        "tesseract-ocr",
                        "tesseract-ocr-eng",
                        "tesseract-ocr-osd",
                        "libtesseract5",
                        "liblept5",
                    )
                )
                / 2**20
            ),
        }
        print(name, json.dumps(results[name]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
