"""The fonts screenshots are drawn in: Debian's packaged fonts, found by file name.

`.ci/run` installs the packages; a missing one is an error naming the package, because the
corpus must come out the same on every machine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype"))

# name -> (file, Debian package)
MONO = {
    "dejavu-mono": ("dejavu/DejaVuSansMono.ttf", "fonts-dejavu-core"),
    "liberation-mono": ("liberation/LiberationMono-Regular.ttf", "fonts-liberation"),
    "noto-mono": ("noto/NotoSansMono-Regular.ttf", "fonts-noto-mono"),
    "fira-code": ("firacode/FiraCode-Regular.ttf", "fonts-firacode"),
    "free-mono": ("freefont/FreeMono.ttf", "fonts-freefont-ttf"),
}
SANS = {
    "dejavu-sans": ("dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "liberation-sans": ("liberation/LiberationSans-Regular.ttf", "fonts-liberation"),
}
BOLD_SANS = ("liberation/LiberationSans-Bold.ttf", "fonts-liberation")
PACKAGES = sorted({package for _, package in [*MONO.values(), *SANS.values(), BOLD_SANS]})


class FontMissing(RuntimeError):
    pass


def _path(file: str, package: str) -> Path:
    for directory in FONT_DIRS:
        if (directory / file).exists():
            return directory / file
    raise FontMissing(f"font {file} is missing: apt-get install {package}")


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    file, package = BOLD_SANS if name == "bold-sans" else (MONO | SANS)[name]
    return ImageFont.truetype(str(_path(file, package)), size)


def missing() -> list[str]:
    """The Debian packages whose fonts are not installed."""
    absent = []
    for file, package in [*MONO.values(), *SANS.values(), BOLD_SANS]:
        try:
            _path(file, package)
        except FontMissing:
            absent.append(package)
    return sorted(set(absent))
