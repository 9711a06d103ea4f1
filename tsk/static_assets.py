"""Puts Leaflet where the app serves it: static/leaflet/ (git-ignored), copied from the PyPI package
xstatic-leaflet, so `make run` needs only Python and make (no npm, no CDN).

Streamlit serves static/ at /app/static/... (`server.enableStaticServing = true`) and tsk/maps/ points
folium at /app/static/leaflet/leaflet.js and leaflet.css.

Idempotent: nothing happens when the installed package's version is already in place. The folder is
built next to the target and swapped in, so an interrupted run never leaves it half filled.
Usage: python -m tsk.static_assets [TARGET_DIR]
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

FILES = ("leaflet.js", "leaflet.css", "images")
DEFAULT_TARGET = Path(__file__).resolve().parent.parent / "static" / "leaflet"


def leaflet_source() -> tuple[Path, str]:
    """The packaged Leaflet folder and its version."""
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR), leaflet.VERSION


def install_leaflet(target: Path = DEFAULT_TARGET) -> bool:
    """Copy Leaflet into `target`; False when that version was already there."""
    source, version = leaflet_source()
    stamp = target / "VERSION"
    if all((target / f).exists() for f in FILES) and stamp.is_file() and stamp.read_text().strip() == version:
        return False
    new = target.with_name(target.name + ".new")
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir(parents=True)
    for f in FILES:
        src = source / f
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, new / f)
    stamp_text = version + "\n"
    (new / "VERSION").write_text(stamp_text)
    shutil.rmtree(target, ignore_errors=True)
    new.rename(target)
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DEFAULT_TARGET
    _, version = leaflet_source()
    if install_leaflet(target):
        print(f"Leaflet {version} installerat i {target}.")
    else:
        print(f"Leaflet {version} finns redan i {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
