"""Draw a paste as the picture someone posts: a console, an IDE, a notebook, a browser.

Every look takes the lines to show and a `Style` (font, size, screen) and returns an RGB
picture. The screen is a fixed size, so a long traceback is cut where the screen ends: a
terminal shows its last lines (the top scrolled away), a page its first. Long lines wrap at
the screen's width as a terminal wraps them; the picture's `shown` lines are what a reader
could see, which is what the picture is scored against.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tools.screenshot_factory.fonts import font

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Style:
    mono: str
    size: int
    width: int = 1920
    height: int = 1080


@dataclass(frozen=True, slots=True)
class Picture:
    image: Image.Image
    shown: list[str]  # the source lines the picture shows, whole


@dataclass(frozen=True, slots=True)
class Palette:
    background: RGB
    text: RGB
    accent: RGB


DARK = Palette((30, 30, 30), (215, 215, 215), (240, 90, 90))
LIGHT = Palette((252, 252, 250), (30, 30, 30), (190, 30, 30))
WINDOWS = Palette((12, 12, 12), (204, 204, 204), (231, 72, 86))


def _wrap(line: str, columns: int) -> list[str]:
    if not line:
        return [""]
    return [line[i : i + columns] for i in range(0, len(line), columns)]


def _block(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    face: ImageFont.FreeTypeFont,
    box: tuple[int, int, int, int],
    colour: Callable[[str], RGB],
    keep: str,
) -> list[str]:
    """Draw `lines` wrapped inside `box`; keep the 'head' or the 'tail' when they don't fit."""
    left, top, right, bottom = box
    step = round(face.size * 1.4)
    columns = max(8, int((right - left) / max(face.getlength("M"), 1)))
    rows = max(1, (bottom - top) // step)
    wrapped = [(index, part) for index, line in enumerate(lines) for part in _wrap(line, columns)]
    parts = Counter(index for index, _ in wrapped)
    if len(wrapped) > rows:
        wrapped = wrapped[-rows:] if keep == "tail" else wrapped[:rows]
    y = top
    for index, part in wrapped:
        draw.text((left, y), part, font=face, fill=colour(lines[index]))
        y += step
    # A line the screen's edge cuts is not shown whole: it is left out of what is shown.
    kept = Counter(index for index, _ in wrapped)
    return [lines[index] for index in sorted(kept) if kept[index] == parts[index]]


def _is_error(line: str) -> bool:
    head = line.split(":", 1)[0]
    return "Error" in head or "Exception" in head or line.startswith("Traceback")


def terminal(lines: list[str], style: Style, palette: Palette, prompt: str) -> Picture:
    image = Image.new("RGB", (style.width, style.height), palette.background)
    draw = ImageDraw.Draw(image)
    face = font(style.mono, style.size)
    body = [prompt, *lines, prompt.split(" ")[0]]
    shown = _block(
        draw,
        body,
        face,
        (14, 12, style.width - 14, style.height - 12),
        lambda line: palette.accent if _is_error(line) else palette.text,
        "tail",
    )
    return Picture(image, [line for line in shown if line in lines])


def dark_terminal(lines: list[str], style: Style, rng: random.Random) -> Picture:
    return terminal(lines, style, DARK, "user@dev:~/app$ python main.py")


def light_terminal(lines: list[str], style: Style, rng: random.Random) -> Picture:
    return terminal(lines, style, LIGHT, "% python3 main.py")


def windows_console(lines: list[str], style: Style, rng: random.Random) -> Picture:
    return terminal(
        lines,
        Style("liberation-mono", style.size, style.width, style.height),
        WINDOWS,
        r"C:\Users\dev\app> python main.py",
    )


def ide_panel(lines: list[str], style: Style, rng: random.Random) -> Picture:
    """A dark editor: a file tree on the left, code above, the terminal panel below."""
    image = Image.new("RGB", (style.width, style.height), (37, 37, 38))
    draw = ImageDraw.Draw(image)
    ui = font("dejavu-sans", max(12, style.size - 3))
    tree = round(style.width * 0.16)
    draw.rectangle((0, 0, tree, style.height), fill=(30, 30, 30))
    for row, name in enumerate(
        ["APP", "  main.py", "  client.py", "  requirements.txt", "  .env.example"]
    ):
        draw.text((12, 16 + row * 26), name, font=ui, fill=(170, 170, 170))
    face = font(style.mono, style.size)
    code = [
        "import openai",
        "",
        "client = openai.OpenAI(base_url=BASE_URL)",
        "resp = client.chat.completions.create(**request)",
    ]
    for row, line in enumerate(code):
        draw.text(
            (tree + 60, 40 + row * round(style.size * 1.4)), line, font=face, fill=(156, 220, 254)
        )
    panel = round(style.height * 0.42)
    draw.rectangle((tree, panel, style.width, style.height), fill=(24, 24, 24))
    draw.text(
        (tree + 20, panel + 8),
        "PROBLEMS    OUTPUT    DEBUG CONSOLE    TERMINAL",
        font=ui,
        fill=(200, 200, 200),
    )
    shown = _block(
        draw,
        lines,
        face,
        (tree + 20, panel + 44, style.width - 20, style.height - 10),
        lambda line: (241, 76, 76) if _is_error(line) else (204, 204, 204),
        "tail",
    )
    return Picture(image, shown)


def jupyter(lines: list[str], style: Style, rng: random.Random) -> Picture:
    """A notebook cell and its red traceback output, cut at the bottom of the page."""
    image = Image.new("RGB", (style.width, style.height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    face = font(style.mono, style.size)
    ui = font("dejavu-sans", style.size)
    draw.text((20, 24), "In [7]:", font=face, fill=(48, 63, 159))
    draw.rectangle(
        (130, 16, style.width - 30, 16 + round(style.size * 2.2)),
        fill=(245, 245, 245),
        outline=(224, 224, 224),
    )
    draw.text(
        (140, 22),
        "resp = client.chat.completions.create(model=MODEL, messages=messages)",
        font=face,
        fill=(0, 0, 0),
    )
    top = 40 + round(style.size * 2.2)
    draw.rectangle((130, top, style.width - 30, style.height), fill=(255, 221, 221))
    draw.text((20, top + 8), "", font=ui)
    shown = _block(
        draw,
        lines,
        face,
        (140, top + 8, style.width - 40, style.height - 8),
        lambda line: (180, 0, 0) if _is_error(line) else (0, 0, 0),
        "head",
    )
    return Picture(image, shown)


def browser_json(lines: list[str], style: Style, rng: random.Random) -> Picture:
    """A browser tab showing a raw response body."""
    image = Image.new("RGB", (style.width, style.height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    ui = font("liberation-sans", max(13, style.size - 2))
    draw.rectangle((0, 0, style.width, 84), fill=(222, 225, 230))
    draw.rounded_rectangle((120, 44, style.width - 200, 76), radius=14, fill=(255, 255, 255))
    draw.text(
        (140, 50), "api.fireworks.ai/inference/v1/chat/completions", font=ui, fill=(60, 60, 60)
    )
    face = font(style.mono, style.size)
    shown = _block(
        draw,
        lines,
        face,
        (16, 100, style.width - 16, style.height - 8),
        lambda _: (0, 0, 0),
        "head",
    )
    return Picture(image, shown)


def playground(lines: list[str], style: Style, rng: random.Random) -> Picture:
    """A web playground: a prompt box, and the error in a red banner, in a sans font."""
    image = Image.new("RGB", (style.width, style.height), (249, 250, 251))
    draw = ImageDraw.Draw(image)
    ui = font("liberation-sans", style.size + 2)
    bold = font("bold-sans", style.size + 4)
    draw.text((40, 28), "Playground", font=bold, fill=(17, 24, 39))
    draw.rounded_rectangle(
        (40, 80, style.width - 40, 240), radius=10, fill=(255, 255, 255), outline=(209, 213, 219)
    )
    draw.text((60, 96), "Write a haiku about rate limits", font=ui, fill=(55, 65, 81))
    draw.rounded_rectangle(
        (40, 270, style.width - 40, style.height - 40),
        radius=10,
        fill=(254, 242, 242),
        outline=(252, 165, 165),
    )
    shown = _block(
        draw,
        lines,
        ui,
        (64, 290, style.width - 64, style.height - 60),
        lambda _: (153, 27, 27),
        "head",
    )
    return Picture(image, shown)


def phone_photo(picture: Picture, rng: random.Random) -> Picture:
    """The picture photographed off a screen: tilted, soft, a glare, a low-quality JPEG."""
    image = picture.image
    angle = rng.uniform(-4.0, 4.0)
    image = image.rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(70, 66, 60)
    )
    width = rng.choice((1280, 1440, 1600))
    image = image.resize(
        (width, round(image.height * width / image.width)), Image.Resampling.BILINEAR
    )
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))
    glare = Image.new("L", image.size, 0)
    gx, gy = rng.randrange(image.width), rng.randrange(image.height)
    radius = image.width // 3
    ImageDraw.Draw(glare).ellipse(
        (gx - radius, gy - radius, gx + radius, gy + radius), fill=rng.randrange(30, 70)
    )
    glare = glare.filter(ImageFilter.GaussianBlur(radius // 3))
    image = Image.composite(Image.new("RGB", image.size, (255, 255, 255)), image, glare)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randrange(35, 60))
    return Picture(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), picture.shown)


LOOKS: dict[str, Callable[[list[str], Style, random.Random], Picture]] = {
    "dark-terminal": dark_terminal,
    "light-terminal": light_terminal,
    "windows-console": windows_console,
    "ide-panel": ide_panel,
    "jupyter": jupyter,
    "browser-json": browser_json,
    "playground": playground,
}
