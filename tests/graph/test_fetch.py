"""``unkg fetch`` against a local symbol service: a file is added only when it is the file asked
for, and a failed fetch leaves the corpus exactly as it was.

Why a real HTTP server: what can go wrong is what the network does (404, an HTML error page
answered with 200, a service that never answers, redirects to a login portal), and urllib's
handling of those is what ``graph.fetch`` relies on. The server runs in a thread on 127.0.0.1
(port 0) and serves the UN-layout PDF of A/RES/76/181 (tests/graph/un_layout.py). Each call goes
through ``graph.cli.main`` as a user's would. The corpus is a temporary copy of
corpus/manifest.json and A_RES_76_181.txt only, so each build takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import struct
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph
import pytest

from graph import iris
from graph.build import BUILD_GRAPH
from graph.cli import main
from graph.readers import read_document
from graph.store import named_graphs, open_store
from tests.graph.un_layout import render_pdf

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SYMBOL = "A/RES/76/181"
FILE = "A_RES_76_181.pdf"
RESOLUTION_GRAPH = str(iris.graph_name(iris.resolution("GA", "76", "181")))
TIMEOUT = 0.5  # seconds the slow symbol is given; the service holds it until released


@cache
def resolution_pdf() -> bytes:
    """What the service serves for A/RES/76/181, rendered once."""
    return render_pdf(read_document(CORPUS / "A_RES_76_181.txt"))


@cache
def not_a_un_document_pdf() -> bytes:
    """A good PDF with text that is no UN document (a brochure where a resolution was asked)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 700, "Visit Vienna: museums, concerts and coffee houses.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>Official Document System</title></head>"
              b"<body>The document you requested could not be found.</body></html>")


class SymbolService(ThreadingHTTPServer):
    """The symbol service, by path: ``/api`` answers per symbol, ``/moved`` redirects to
    ``/api`` on the same host, ``/away`` to a host that does not exist, ``/renamed`` to the
    same server under another host name (``localhost``), which would answer if followed."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SymbolHandler)
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class SymbolHandler(BaseHTTPRequestHandler):
    server: SymbolService

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        """Answer one request as the service would; see ``SymbolService``."""
        path, _, query = self.path.partition("?")
        symbol = urllib.parse.parse_qs(query).get("s", [""])[0]
        try:
            if path == "/moved":
                self._redirect(f"/api?{query}")
            elif path == "/away":
                self._redirect(f"http://localhost.invalid/api?{query}")
            elif path == "/renamed":
                self._redirect(f"http://localhost:{self.server.server_port}/api?{query}")
            elif path == "/malformed":
                self._redirect(f"http://[::1/api?{query}")
            elif path == "/cut":  # closes the connection half-way through the file
                self._send(200, "application/pdf", resolution_pdf(), cut=True)
            elif path == "/reset":  # resets the connection half-way through the file
                self._send(200, "application/pdf", resolution_pdf(), cut=True)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            elif symbol == SYMBOL:
                self._send(200, "application/pdf", resolution_pdf())
            elif symbol == "A/RES/76/999":  # the service's HTML page for a symbol it lacks
                self._send(200, "text/html; charset=utf-8", ERROR_PAGE)
            elif symbol == "A/RES/76/998":  # never answers within the timeout
                if not self.server.release.wait(10):
                    self._send(200, "application/pdf", resolution_pdf())
            elif symbol == "A/RES/76/997":
                self._send(200, "application/pdf", not_a_un_document_pdf())
            elif symbol == "A/RES/76/996":
                self._send(500, "text/plain", b"Internal Server Error")
            else:
                self._send(404, "text/html", ERROR_PAGE)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case): nothing to answer

    def _send(self, status: int, kind: str, body: bytes, cut: bool = False) -> None:
        """Answer ``body``; ``cut``: announce all of it, send the first half."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 2] if cut else body)
        self.wfile.flush()

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the default writes to stderr, which the tests read for fetch's own lines."""


@pytest.fixture(scope="module")
def service() -> Iterator[SymbolService]:
    server = SymbolService()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def make_corpus(directory: Path, *names: str) -> Path:
    """A corpus of the real manifest and the named corpus files."""
    directory.mkdir()
    for name in ("manifest.json", *names):
        shutil.copy(CORPUS / name, directory / name)
    return directory


def snapshot(directory: Path) -> dict[str, bytes | None]:
    """Every entry below ``directory`` with its bytes (``None`` for a directory)."""
    return {str(path.relative_to(directory)): None if path.is_dir() else path.read_bytes()
            for path in sorted(directory.rglob("*"))}


def fetch(tmp_path: Path, corpus: Path, base_url: str | None, *options: str,
          symbol: str = SYMBOL) -> int:
    """``unkg --store STORE fetch SYMBOL --corpus CORPUS [--base-url URL] OPTIONS``."""
    argv = ["--store", str(tmp_path / "store"), "fetch", symbol, "--corpus", str(corpus)]
    if base_url is not None:
        argv += ["--base-url", base_url]
    return main(argv + list(options))


def graph_sources(store_path: Path) -> tuple[list[str], list[str]]:
    """The store's named graphs, and the files the build record names as the resolution's."""
    store = open_store(store_path, read_only=True)
    rows = store.query(f"""SELECT ?file WHERE {{ GRAPH <{BUILD_GRAPH}> {{
        <{RESOLUTION_GRAPH}> <http://purl.org/dc/terms/source> ?file }} }}""")
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    return named_graphs(store), sorted(row["file"].value for row in rows)


# --- success ----------------------------------------------------------------------------------


@pytest.mark.parametrize("route, via, build", [
    ("/api", "flag", True), ("/moved", "flag", False), ("/api", "env", False)],
    ids=["direct", "same-host-redirect", "UNKG_ODS_URL"])
def test_fetch_adds_the_file_with_its_record_and_builds(
        service: SymbolService, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, route: str, via: str, build: bool) -> None:
    """The file as served, its manifest record (the other records as they were), and the
    build; the routes that only change how the file is reached skip the build (--no-build)."""
    corpus = make_corpus(tmp_path / "corpus")
    before = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    if via == "env":
        monkeypatch.setenv("UNKG_ODS_URL", service.url + route)
    status = fetch(tmp_path, corpus, service.url + route if via == "flag" else None,
                   *([] if build else ["--no-build"]))

    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert f"{SYMBOL}: {corpus / FILE}" in out.splitlines()
    body = resolution_pdf()
    assert (corpus / FILE).read_bytes() == body
    assert sorted(p.name for p in corpus.iterdir()) == [FILE, "manifest.json"]
    after = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert after["documents"][:-1] == before["documents"]
    record = after["documents"][-1]
    assert (record["file"], record["format"], record["language"], record["sha256"]) == (
        FILE, "pdf", "en", hashlib.sha256(body).hexdigest())
    assert record["source"]["requested"] == SYMBOL
    assert record["source"]["url"].startswith(service.url + route + "?")
    if not build:
        assert not (tmp_path / "store").exists()
        return
    graphs, sources = graph_sources(tmp_path / "store")
    assert RESOLUTION_GRAPH in graphs
    assert sources == [FILE]


def test_a_document_the_corpus_already_holds_is_refused_and_nothing_changes(
        service: SymbolService, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The corpus holds A/RES/76/181 as text: a second rendering would only make the build
    refuse one of them, so fetch says where the document already is and adds nothing."""
    corpus = make_corpus(tmp_path / "corpus", "A_RES_76_181.txt")
    before = snapshot(corpus)
    status = fetch(tmp_path, corpus, service.url + "/api")

    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err == [f"unkg fetch: {SYMBOL}: the corpus already holds this document as "
                   "A_RES_76_181.txt; remove that file first to replace it"], err
    assert snapshot(corpus) == before


# --- failures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """A fetch that must fail with one line naming the symbol and the reason; ``build``: the
    build runs after it, and must add nothing to stderr (the other cases only classify the
    failure, so they skip the build to keep the module fast)."""

    id: str
    symbol: str
    route: str
    reason: str
    build: bool = False


FAILURES = [
    Failure("404", "A/RES/76/404", "/api",
            "unknown symbol (the service answered 404 Not Found)", build=True),
    Failure("html-page", "A/RES/76/999", "/api",
            "the service answered with an HTML page, not a PDF file", build=True),
    Failure("timeout", "A/RES/76/998", "/api", f"no answer within {TIMEOUT:g} s", build=True),
    Failure("redirect-elsewhere", SYMBOL, "/away",
            "the service redirected to another host (localhost.invalid); not followed",
            build=True),
    Failure("redirect-other-name", SYMBOL, "/renamed",
            "the service redirected to another host (localhost:{port}); not followed",
            build=True),
    Failure("server-error", "A/RES/76/996", "/api", "the service answered 500"),
    Failure("not-a-un-document", "A/RES/76/997", "/api",
            "the file does not read as a UN document"),
    Failure("malformed-redirect", SYMBOL, "/malformed",
            "the service answered with a malformed address"),
    Failure("cut-short", SYMBOL, "/cut", "the download was cut short ("),
    Failure("connection-reset", SYMBOL, "/reset", "the connection failed ("),
    Failure("nobody-listening", SYMBOL, "closed-port", "cannot reach the service ("),
]


@pytest.mark.parametrize("case", FAILURES, ids=lambda case: case.id)
def test_a_failed_fetch_says_why_and_leaves_the_corpus_as_it_was(
        service: SymbolService, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        case: Failure) -> None:
    corpus = make_corpus(tmp_path / "corpus", "A_RES_76_181.txt")
    before = snapshot(corpus)
    service.release.clear()
    base_url = closed_port_url() if case.route == "closed-port" else service.url + case.route
    try:
        status = fetch(tmp_path, corpus, base_url, "--timeout", str(TIMEOUT),
                       *([] if case.build else ["--no-build"]), symbol=case.symbol)
    finally:
        service.release.set()  # let a held request go: nothing waits for it

    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert len(err) == 1, err
    reason = case.reason.format(port=service.server_port)
    assert err[0].startswith(f"unkg fetch: {case.symbol}: {reason}"), err[0]
    assert snapshot(corpus) == before
    if case.build:  # the corpus as it was still builds
        assert graph_sources(tmp_path / "store")[1] == ["A_RES_76_181.txt"]


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens: a port just bound and let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"


@pytest.mark.parametrize("base_url", ["documents.un.org/api/symbol/access",
                                      "ftp://documents.un.org/api", "http://[::1/api"])
def test_a_base_url_that_is_not_http_is_a_user_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], base_url: str) -> None:
    """Checked before anything is fetched: one line, status 2, the corpus untouched (urllib
    would raise "unknown url type" as a traceback, or try FTP)."""
    corpus = make_corpus(tmp_path / "corpus")
    before = snapshot(corpus)
    assert fetch(tmp_path, corpus, base_url) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"unkg fetch: --base-url {base_url}: "), err
    assert snapshot(corpus) == before
    assert not (tmp_path / "store").exists()


def test_several_symbols_fail_one_by_one(service: SymbolService, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """One line per failed symbol; the others are still fetched; status 1."""
    corpus = make_corpus(tmp_path / "corpus")
    status = main(["--store", str(tmp_path / "store"), "fetch", "A/RES/76/404", SYMBOL,
                   "A/RES/76/999", "--corpus", str(corpus), "--base-url", service.url + "/api",
                   "--no-build"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert [line.split(": ")[1] for line in err] == ["A/RES/76/404", "A/RES/76/999"]
    assert sorted(p.name for p in corpus.iterdir()) == [FILE, "manifest.json"]
