"""Remote stores started for the tests and the benchmark, each on free loopback ports with
its data in a given directory: ``oxigraph serve`` (PyPI ``oxigraph``, in the test extra) and
Virtuoso Open Source (Debian ``virtuoso-opensource-7-bin``, which ``scripts/test`` installs;
``virtuoso.ini`` beside this file binds 127.0.0.1 only). ``RuntimeError`` with the reason when
one cannot be started."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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
            raise RuntimeError(f"{server.setting} exited ({server.process.returncode}): "
                               f"{server.log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{server.setting} did not answer within {seconds} s: "
                       f"{server.log.read_text(errors='replace')[-2000:]}")


def start_oxigraph(directory: Path) -> Server:
    """``oxigraph serve`` on a free loopback port, its data in ``directory``."""
    command = Path(sys.executable).with_name("oxigraph")
    if not command.exists():
        raise RuntimeError(f"no {command}: install the test extra (pip install -e '.[test]')")
    port = free_port()
    log = directory / "oxigraph.log"
    process = subprocess.Popen([str(command), "serve", "--location", str(directory / "data"),
                                "--bind", f"127.0.0.1:{port}", "--timeout-s", "10"],
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(f"oxigraph+http://127.0.0.1:{port}", process, log)
    wait_until_up(server, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    return server


def start_virtuoso(directory: Path) -> Server:
    """Virtuoso on two free loopback ports (SQL and HTTP), its database in ``directory``."""
    if not Path(VIRTUOSO).exists():
        raise RuntimeError(f"no {VIRTUOSO}: install Debian's virtuoso-opensource-7-bin "
                           "(scripts/test does, as root: apt-get install -y "
                           "virtuoso-opensource-7-bin)")
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
