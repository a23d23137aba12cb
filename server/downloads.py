"""``/downloads``: the releases found in ``dist/unkg-VERSION/``, each with its files.

The release builder writes one directory per version with a ``SHA256SUMS`` file; this module
only reads what is there, so a server without releases shows an empty list.
"""

from __future__ import annotations

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
    """Every release under ``dist``, newest first; none when the directory is missing."""
    root = Path(dist)
    if not root.is_dir():
        return []
    found = []
    for directory in root.iterdir():
        if not (directory.is_dir() and directory.name.startswith(RELEASE_PREFIX)):
            continue
        sums = _checksums(directory)
        files = [ReleaseFile(str(p.relative_to(directory)), p.stat().st_size,
                             sums.get(str(p.relative_to(directory))))
                 for p in sorted(directory.rglob("*")) if p.is_file()]
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
    """One file of a release (send_from_directory refuses paths that leave the directory)."""
    directory = Path(current_app.config["DIST"]).resolve() / f"{RELEASE_PREFIX}{version}"
    if not directory.is_dir():
        abort(404, f"there is no release {version}")
    return send_from_directory(directory, name, as_attachment=True)
