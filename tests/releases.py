"""Releases for the tests: one rendered from a store, and one of ready-made files, both
written as ``unkg release`` writes them (``graph.release.release_directory``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.release import CHECKSUMS, ReleaseInfo, Writer, release_directory, render_release


def release_files(store: ox.Store, out: Path, info: ReleaseInfo) -> dict[str, bytes]:
    """Validate ``store`` and write its release into ``out``; the release's files."""
    with release_directory(out, info.version) as (staging, scratch):
        assert render_release(store, info, staging, scratch).conforms
    return {p.name: p.read_bytes() for p in (out / f"unkg-{info.version}").iterdir()}


def write_release(out: Path, version: str, files: dict[str, bytes]) -> Path:
    """A release of ready-made files (its ``SHA256SUMS`` made anew)."""
    with release_directory(out, version) as (staging, _):
        writer = Writer(staging)
        for name, data in files.items():
            if name != CHECKSUMS:
                writer.put(name, data)
        writer.finish()
    return out / f"unkg-{version}"
