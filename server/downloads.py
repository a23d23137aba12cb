"""``/downloads``: the releases found in ``dist/unkg-VERSION/``, each with its files.

The release builder writes one directory per version with a ``SHA256SUMS`` file; this module
only reads what is there, so a server without releases shows an empty list.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from werkzeug.wrappers import Response

bp = Blueprint("downloads", __name__, url_prefix="/downloads")
RELEASE_PREFIX = "unkg-"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    size: int
    sha256: str | None


@dataclass(frozen=True)
class Release:
    version: str
    files: list[ReleaseFile]


def _version_key(version: str) -> tuple:
    """Natural order, so that 0.10.0 comes after 0.9.0."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", version) if p)


def _checksums(directory: Path) -> dict[str, str]:
    path = directory / CHECKSUMS
    if not path.is_file():
        return {}
    sums = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, _, name = line.partition(" ")
        if name:
            sums[name.strip().lstrip("*")] = digest
    return sums


def releases(dist: str | Path) -> list[Release]:
    """Every release under ``dist``, newest first; none when the directory is missing.

    Only what lies inside ``dist`` counts: a release directory or file that is a symbolic
    link to somewhere else is neither listed nor read, as ``download`` would not serve it."""
    root = Path(dist)
    if not root.is_dir():
        return []
    found = []
    for directory in root.iterdir():
        if not (directory.name.startswith(RELEASE_PREFIX) and directory.is_dir()
                and _inside(root, directory)):
            continue
        sums = _checksums(directory)
        names = sorted(Path(top, name).relative_to(directory)
                       for top, _, names in os.walk(directory) for name in names)
        files = [ReleaseFile(str(name), (directory / name).stat().st_size, sums.get(str(name)))
                 for name in names if _inside(directory, directory / name)
                 and (directory / name).is_file()]
        found.append(Release(directory.name[len(RELEASE_PREFIX):], files))
    return sorted(found, key=lambda r: _version_key(r.version), reverse=True)


def latest_release(dist: str | Path) -> str | None:
    """The newest release's version, used as the served version when none is configured."""
    found = releases(dist)
    return found[0].version if found else None


@bp.route("", strict_slashes=False)
def index() -> str:
    return render_template("downloads.html", releases=releases(current_app.config["DIST"]))


@bp.route("/<version>/<path:name>")
def download(version: str, name: str) -> Response:
    """One file of a release. ``send_from_directory`` refuses a name that leaves the
    directory (``..``, an absolute path); a symbolic link inside the release that points out
    of it is refused here as well, so nothing outside the release directories is ever read."""
    root = Path(current_app.config["DIST"]).resolve()
    directory = root / f"{RELEASE_PREFIX}{version}"
    if not directory.is_dir() or not _inside(root, directory):
        abort(404, f"there is no release {version[:100]}")
    if not _inside(directory, directory / name):
        abort(404, f"release {version[:100]} has no file {name[:200]}")
    return send_from_directory(directory, name, as_attachment=True)


def _inside(directory: Path, path: Path) -> bool:
    """Whether ``path``, links followed, is ``directory`` or below it."""
    try:
        return path.resolve().is_relative_to(directory.resolve())
    except (OSError, ValueError):  # a loop of links, a NUL byte
        return False
