"""Real remote stores for the tests, each started on free loopback ports in a temporary
directory and stopped at the end: ``oxigraph serve`` (PyPI ``oxigraph``, the test extra) and
Virtuoso Open Source (Debian ``virtuoso-opensource-7-bin``, which ``scripts/test`` installs;
``virtuoso.ini`` beside this file binds 127.0.0.1). A server that cannot be started fails the
test that needs it, with the reason: these tests are never skipped.

The corpus is a sample of five real corpus files (70/174 and 70/178 with their footnotes,
76/181, the regional-meetings compilation, the Third Committee report A/68/456: 28k triples),
on which every example query of ``server/queries/`` answers rows.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ["000_d84c65ec1904ae7a.txt", "002_4d87f6f1b0825404.txt", "003_8c3c0a644e4dd5d6.txt",
          "004_1571e35c9475b5fc.txt", "A_RES_76_181.txt", "manifest.json"]
VIRTUOSO = "/usr/bin/virtuoso-t"
CREDENTIALS = {"UNKG_STORE_USER": "dba", "UNKG_STORE_PASSWORD": "dba"}  # a fresh database's


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A store server the tests started: its setting (``--store``) and its process."""

    setting: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def wait_until_up(server: Server, url: str, seconds: float = 60) -> None:
    """Poll ``url`` until the server answers; fail with its log if it exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.setting} exited ({server.process.returncode}): "
                        f"{server.log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    server.stop()
    pytest.fail(f"{server.setting} did not answer within {seconds} s: "
                f"{server.log.read_text(errors='replace')[-2000:]}")


def start_oxigraph(directory: Path) -> Server:
    """``oxigraph serve`` on a free loopback port, its data in ``directory``."""
    command = Path(sys.executable).with_name("oxigraph")
    if not command.exists():
        pytest.fail(f"no {command}: install the test extra (pip install -e '.[test]')")
    port = free_port()
    log = directory / "oxigraph.log"
    process = subprocess.Popen([str(command), "serve", "--location", str(directory / "data"),
                                "--bind", f"127.0.0.1:{port}", "--timeout-s", "30"],
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(f"oxigraph+http://127.0.0.1:{port}", process, log)
    wait_until_up(server, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    return server


def start_virtuoso(directory: Path) -> Server:
    """Virtuoso on two free loopback ports (SQL and HTTP), its database in ``directory``."""
    if not Path(VIRTUOSO).exists():
        pytest.fail(f"no {VIRTUOSO}: install Debian's virtuoso-opensource-7-bin (scripts/test "
                    "does, as root: apt-get install -y virtuoso-opensource-7-bin)")
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text((Path(__file__).with_name("virtuoso.ini").read_text(encoding="utf-8")
                    .format(dir=directory, sql_port=sql_port, http_port=http_port)),
                   encoding="utf-8")
    log = directory / "virtuoso.out"
    process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)],
                               cwd=directory, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(f"virtuoso+http://127.0.0.1:{http_port}", process, log)
    wait_until_up(server, f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D")
    return server


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of five real files and the manifest."""
    corpus = tmp_path_factory.mktemp("sample")
    for name in SAMPLE:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    return corpus


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
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory,
                    credentials: None) -> Iterator[Server]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
