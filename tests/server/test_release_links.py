"""Every download link a release's DCAT description gives is answered by the server."""

from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from graph.namespaces import BASE
from graph.release import ReleaseInfo
from graph.store import open_store
from tests.releases import release_files

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "conforming.trig"


def test_dcat_download_urls_resolve_on_the_server(app_factory, tmp_path):
    store = open_store(memory=True)
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    files = release_files(store, tmp_path / "dist", ReleaseInfo("9.9.9", date(2026, 1, 1),
                                                                 URIRef(f"{BASE}sparql")))
    client = app_factory(DIST=str(tmp_path / "dist")).test_client()
    description = Graph().parse(data=files["void.ttl"], format="turtle")
    urls = sorted(str(url) for url in description.objects(None, DCAT.downloadURL))
    assert len(urls) == len(files) - 2  # every file but the checksum list and the description
    for url in urls:
        response = client.get("/" + url.removeprefix(str(BASE)))
        assert response.status_code == 200, url
        assert response.data == files[url.rsplit("/", 1)[1]]
