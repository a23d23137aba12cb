"""Real remote stores for the tests (``servers.py``: ``oxigraph serve`` and Virtuoso, each on
free loopback ports in a temporary directory, stopped at the end). A server that cannot be
started fails the test that needs it, with the reason: these tests are never skipped.

The corpus is a sample of five real corpus files (70/174 and 70/178 with their footnotes,
76/181, the regional-meetings compilation, the Third Committee report A/68/456: 28k triples),
on which every example query of ``server/queries/`` answers rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.remote.servers import CREDENTIALS, Server, start_oxigraph, start_virtuoso

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ["000_d84c65ec1904ae7a.txt", "002_4d87f6f1b0825404.txt", "003_8c3c0a644e4dd5d6.txt",
          "004_1571e35c9475b5fc.txt", "A_RES_76_181.txt", "manifest.json"]


def started(start: Callable[[Path], Server], directory: Path) -> Server:
    """A server started by ``start``, or the test fails with the reason."""
    try:
        return start(directory)
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of five real files and the manifest."""
    corpus = tmp_path_factory.mktemp("sample")
    for name in SAMPLE:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    return corpus


@pytest.fixture(scope="session", autouse=True)
def validation_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The remote builds' validation caches (``graph.remote.validation_cache``) in a temporary
    directory, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def credentials() -> Iterator[None]:
    """The store's credentials where ``graph.remote`` reads them (Virtuoso's update and Graph
    Store endpoints want them; Oxigraph asks for none and is sent none)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in CREDENTIALS.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = started(start_oxigraph, tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory,
                    credentials: None) -> Iterator[Server]:
    server = started(start_virtuoso, tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
