"""A release replaces the previous one of its version in one step, and cleans up after a
release that was killed half-way (tests/test_faults.py kills real ones)."""

from graph import release
from graph.release import CHECKSUMS, verify_release
from tests.releases import write_release

OLD = {"unkg.nq": b"old\n", "void.ttl": b"old void\n"}
NEW = {"unkg.nq": b"new\n", "void.ttl": b"new void\n", "unkg.ttl": b"new ttl\n"}


def _files(directory):
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.name != CHECKSUMS}


def test_a_release_is_exchanged_with_the_previous_one_and_nothing_is_left(tmp_path):
    write_release(tmp_path, "1.0", OLD)
    target = write_release(tmp_path, "1.0", NEW)
    assert _files(target) == NEW and verify_release(target) == []
    assert [p.name for p in tmp_path.iterdir()] == ["unkg-1.0"]


def test_without_an_atomic_exchange_two_renames_still_end_in_the_new_release(tmp_path, monkeypatch):
    monkeypatch.setattr(release, "_exchange", lambda a, b: False)
    write_release(tmp_path, "1.0", OLD)
    target = write_release(tmp_path, "1.0", NEW)
    assert _files(target) == NEW
    assert [p.name for p in tmp_path.iterdir()] == ["unkg-1.0"]


def test_what_a_killed_release_left_is_put_right_by_the_next(tmp_path):
    target = write_release(tmp_path, "1.0", OLD)
    # killed between the two renames of the fallback: the old release aside, none in place
    target.rename(tmp_path / ".unkg-1.0.previous")
    (tmp_path / ".unkg-1.0.abc.tmp").mkdir()  # killed while writing its temporary directory
    (tmp_path / ".unkg-1.0.abc.tmp" / "unkg.nq").write_bytes(b"half")
    release._recover(tmp_path)
    assert _files(target) == OLD and verify_release(target) == []
    assert [p.name for p in tmp_path.iterdir()] == ["unkg-1.0"]
    write_release(tmp_path, "1.0", NEW)
    assert _files(target) == NEW
