"""``unkg fetch SYMBOL…``: official documents from the UN Official Document System into the corpus.

The symbol service (``https://documents.un.org/api/symbol/access?s=SYMBOL&l=en&t=pdf``; base URL
``--base-url`` or ``UNKG_ODS_URL``) answers with the PDF or Word file of a symbol. A file is only
added when it is what was asked for (a PDF or a Word file, not an HTML error page) and reads as
a UN document; it is written beside the others under a temporary name and renamed into place,
and the manifest is rewritten the same way, so a failed fetch leaves the corpus as it was. A
document the corpus already holds in another file is refused: one document, one file.
Redirects are followed within the service's own host only: a redirect elsewhere (a login or
error portal) is reported, not followed. The corpus is then built into the store.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import socket
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from graph.cli import UserError
from graph.document import Document, ReaderError

DEFAULT_BASE_URL = "https://documents.un.org/api/symbol/access"
FORMATS = {"pdf": (b"%PDF-", ".pdf"), "docx": (b"PK\x03\x04", ".docx")}
MAX_BYTES = 200 * 1024 * 1024


class FetchError(Exception):
    """A symbol could not be fetched; the message says why in one line."""


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the host that was asked."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        asked, target = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (target.scheme, target.netloc) != (asked.scheme, asked.netloc):
            raise FetchError(f"the service redirected to another host ({target.netloc}); "
                             "not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fetch`` subcommand."""
    parser = subparsers.add_parser(
        "fetch", help="download official documents by symbol into the corpus and build them",
        description="Download each SYMBOL from the UN Official Document System into the "
                    "corpus (with its manifest entry and checksum), then build the corpus.")
    parser.add_argument("symbols", nargs="+", metavar="SYMBOL", help="e.g. A/RES/76/181")
    parser.add_argument("--lang", default="en", help="language code (default: en)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="pdf",
                        help="file format to download (default: pdf)")
    parser.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    parser.add_argument("--base-url", default=os.environ.get("UNKG_ODS_URL", DEFAULT_BASE_URL),
                        help="symbol service (default: $UNKG_ODS_URL or the ODS service)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--no-build", action="store_true", help="only add the files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Fetch every symbol; 1 when any failed (each failure one line), else 0."""
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        raise UserError(f"{corpus}: no such corpus directory")
    check_base_url(args.base_url)
    status = 0
    for symbol in args.symbols:
        try:
            path = fetch(symbol, corpus, lang=args.lang, fmt=args.format,
                         base_url=args.base_url, timeout=args.timeout)
        except FetchError as error:
            print(f"unkg fetch: {symbol}: {error}", file=sys.stderr)
            status = 1
            continue
        print(f"{symbol}: {path}")
    if not args.no_build:
        from graph.commands import cmd_build

        build_args = argparse.Namespace(store=args.store, corpus=str(corpus), quiet=True,
                                        verbose=False)
        status = max(status, cmd_build(build_args))
    return status


def check_base_url(base_url: str) -> None:
    """A ``UserError`` unless ``base_url`` is an http(s) address: urllib would otherwise fail
    with a traceback ("documents.un.org/api": unknown url type) or try FTP."""
    try:
        parts = urllib.parse.urlsplit(base_url)
    except ValueError as error:
        raise UserError(f"--base-url {base_url}: not a valid address ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"--base-url {base_url}: not an http:// or https:// address")


def symbol_url(base_url: str, symbol: str, lang: str, fmt: str) -> str:
    """The service's address of one symbol in one language and format."""
    query = urllib.parse.urlencode({"s": symbol, "l": lang, "t": fmt})
    return f"{base_url}?{query}"


def file_name(symbol: str, fmt: str) -> str:
    """The corpus file name of a symbol: its slashes as underscores ("A_RES_76_181.pdf")."""
    cleaned = "".join(c if c.isalnum() or c in ".-" else "_" for c in symbol.strip())
    return cleaned.strip("_.") + FORMATS[fmt][1]


def download(url: str, fmt: str, timeout: float) -> bytes:
    """The file at ``url``; ``FetchError`` unless it is a file of format ``fmt``."""
    opener = urllib.request.build_opener(_SameHostRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": "unkg-fetch"})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            kind = response.headers.get_content_type()
            length = response.headers.get("Content-Length", "")
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise FetchError("unknown symbol (the service answered 404 Not Found)") from None
        raise FetchError(f"the service answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"no answer within {timeout:g} s") from None
        raise FetchError(f"cannot reach the service ({error.reason})") from None
    except (TimeoutError, socket.timeout):
        raise FetchError(f"no answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as error:
        # The connection broke after the request was sent (reset, closed mid-answer).
        raise FetchError(f"the connection failed ({error or type(error).__name__})") from None
    except ValueError as error:
        # A malformed address, in a redirect's Location ("http://[::1/...").
        raise FetchError(f"the service answered with a malformed address ({error})") from None
    if len(body) > MAX_BYTES:
        raise FetchError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if length.isdigit() and len(body) < int(length):
        # Closed before the end: a truncated file would be misread as a broken one.
        raise FetchError(f"the download was cut short ({len(body)} of {length} bytes)")
    magic = FORMATS[fmt][0]
    if not body.startswith(magic):
        what = "an HTML page" if kind == "text/html" or body.lstrip()[:1] == b"<" else kind
        raise FetchError(f"the service answered with {what}, not a {fmt.upper()} file "
                         "(unknown symbol or language?)")
    return body


def fetch(symbol: str, corpus: Path, *, lang: str = "en", fmt: str = "pdf",
          base_url: str = DEFAULT_BASE_URL, timeout: float = 60.0) -> Path:
    """Download ``symbol`` into ``corpus`` with its manifest record; the path written."""
    from graph.build import MANIFEST
    from graph.readers import files, read_text

    url = symbol_url(base_url, symbol, lang, fmt)
    body = download(url, fmt, timeout)
    target = corpus / file_name(symbol, fmt)
    with tempfile.TemporaryDirectory(dir=corpus) as scratch:
        staged = Path(scratch) / target.name
        staged.write_bytes(body)
        try:
            document = read_text(files.load(staged).text, target.name)
        except ReaderError as error:
            raise FetchError(f"the file does not read as a UN document ({error})") from None
        if held := _held_as(document, corpus, target.name):
            raise FetchError(f"the corpus already holds this document as {held}; remove that "
                             "file first to replace it")
        record = {"file": target.name, "format": fmt, "language": lang, "symbol": None,
                  "sha256": hashlib.sha256(body).hexdigest(),
                  "source": {"service": base_url, "url": url, "requested": symbol,
                             "fetched": datetime.now(timezone.utc).date().isoformat()}}
        manifest = _with_record(corpus / MANIFEST, record)
        staged_manifest = Path(scratch) / MANIFEST
        staged_manifest.write_text(manifest, encoding="utf-8")
        os.replace(staged, target)
        os.replace(staged_manifest, corpus / MANIFEST)
    return target


def _held_as(document: Document, corpus: Path, name: str) -> str | None:
    """The corpus file that already gives ``document`` (one document, one file: a second
    rendering would only be refused by the build)."""
    from graph.build import corpus_files, load_manifest
    from graph.rdf.documents import document_iri
    from graph.readers import read_document

    wanted = document_iri(document)
    manifest = load_manifest(corpus)
    for path in corpus_files(corpus):
        if path.name == name or manifest.get(path.name, {}).get("duplicate_of"):
            continue
        try:
            if document_iri(read_document(path)) == wanted:
                return path.name
        except (ReaderError, ValueError):
            continue
    return None


def _with_record(path: Path, record: dict) -> str:
    """The manifest's text with ``record`` added, replacing any record of the same file."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        documents = [d for d in manifest.get("documents", []) if d.get("file") != record["file"]]
    except (ValueError, AttributeError) as error:
        raise FetchError(f"{path} is not a valid manifest ({error}); nothing written") from None
    manifest["documents"] = documents + [record]
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
