"""Following the store's version pointer (``server.store``): the pointer file is only looked
at (``stat``) while it is unchanged, and every switch a build makes is seen by the next look,
however close together the switches come."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.store import LEGACY, POINTER, NewVersion, current_version, switch, version_dir
from server.store import LiveStore, VersionPointer

IDS = ("20261203T000000-aaaa", "20261203T000001-bbbb", "20261203T000002-cccc")

TICK = 1_796_000_000_000_000_000  # nanoseconds


def _versions(root: Path, ids: tuple[str, ...] = IDS) -> None:
    """Version directories ``switch`` accepts (a RocksDB ``CURRENT`` file), without data."""
    for version in ids:
        version_dir(root, version).mkdir(parents=True)
        (version_dir(root, version) / "CURRENT").write_text("MANIFEST-000001\n")


def test_every_switch_is_seen_by_the_next_look_however_close_together(tmp_path):
    _versions(tmp_path)
    pointer = VersionPointer(tmp_path)
    assert pointer.read() is None  # nothing built yet
    seen = []
    for turn in range(100):
        # Two switches between two looks, both within one tick of the file system's clock,
        # ids of one length: the pointer file's inode, freed by the first, is free to be
        # reused by the second (ext4 does), and then only the file held open tells the two
        # pointers apart.
        for step in (0, 1):
            switch(tmp_path, IDS[(2 * turn + step) % len(IDS)])
            os.utime(tmp_path / POINTER, ns=(TICK, TICK))
        seen.append(pointer.read())
        assert seen[-1] == current_version(tmp_path)
    assert set(seen) == set(IDS)
    pointer.close()


def test_a_pointer_rewritten_in_place_is_read_again(tmp_path):
    _versions(tmp_path)
    switch(tmp_path, IDS[0])
    pointer = VersionPointer(tmp_path)
    assert pointer.read() == IDS[0]
    with open(tmp_path / POINTER, "r+", encoding="ascii") as file:  # not how builds do it
        file.write(f"{IDS[2]}\n")
        file.truncate()
    assert pointer.read() == IDS[2]


def test_a_legacy_store_stays_legacy_until_a_build_writes_the_pointer(tmp_path):
    (tmp_path / "CURRENT").write_text("MANIFEST-000001\n")  # a plain Oxigraph directory
    _versions(tmp_path, IDS[:1])
    pointer = VersionPointer(tmp_path)
    assert pointer.read() == LEGACY and pointer.read() == LEGACY
    switch(tmp_path, IDS[0])
    assert pointer.read() == IDS[0]


def test_a_bad_pointer_is_an_error_until_it_is_repaired(tmp_path):
    _versions(tmp_path)
    switch(tmp_path, IDS[0])
    pointer = VersionPointer(tmp_path)
    assert pointer.read() == IDS[0]
    (tmp_path / POINTER).write_text("not a version\n")
    with pytest.raises(OSError, match="not a store version"):
        pointer.read()
    switch(tmp_path, IDS[1])
    assert pointer.read() == IDS[1]


def test_a_live_store_serves_the_new_version_from_the_next_request(tmp_path):
    def commit() -> str:
        with NewVersion(tmp_path) as new:
            new.commit()
            return new.id

    first = commit()
    live = LiveStore(tmp_path)
    version = live.current()
    assert version.id == first
    second = commit()
    newer = live.current()
    assert newer.id == second and version.id == first  # the pinned request keeps its own
    version.drop()
    newer.drop()
    live.close()
