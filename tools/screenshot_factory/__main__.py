"""`python -m tools.screenshot_factory [--out DIR] [--only N] [--manifest]`.

Writes the manifest (with --manifest) and draws its pictures into DIR.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.screenshot_factory.fonts import missing
from tools.screenshot_factory.generate import (
    MANIFEST,
    SEED,
    manifest,
    read_manifest,
    render,
    save,
    write_manifest,
)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshot_factory", description=__doc__)
    parser.add_argument("--out", type=Path, help="draw the pictures into this directory")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--manifest", action="store_true", help=f"rewrite {MANIFEST.name}")
    parser.add_argument("--only", type=int, help="draw only the first N pictures")
    parser.add_argument("--fixtures", action="store_true", help="rewrite the committed fixtures")
    args = parser.parse_args()
    absent = missing()
    if absent:
        print(
            f"screenshot factory: fonts missing: apt-get install {' '.join(absent)}",
            file=sys.stderr,
        )
        return 2
    if args.manifest:
        write_manifest(manifest(args.seed))
        print(f"wrote {MANIFEST}")
    if args.fixtures:
        from tools.screenshot_factory.fixtures import write_fixtures

        print(f"wrote {len(write_fixtures())} fixtures")
    shots = read_manifest()[: args.only]
    if args.out:
        for shot in shots:
            save(shot, render(shot), args.out)
        print(f"drew {len(shots)} pictures into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
