"""The query page in a real browser (Debian's headless Chromium driven by Playwright): type a
query, run it, see the rows; pick an example; see the error of a bad query.

Without Debian's chromium the tests are skipped, never passed: the reason gives the command
that installs it (``scripts/test`` runs it itself when it can).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
INSTALL = "sudo apt-get install -y chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"Debian's chromium is not installed at {CHROMIUM}; install it with: {INSTALL}")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _open(browser, server) -> Iterator[Page]:
    """A page on ``server`` that may not reach anything else."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(
        server.url) else (outside.append(route.request.url), route.abort())))
    yield context.new_page()
    context.close()
    assert outside == []  # the page never reaches beyond this server


@pytest.fixture()
def page(browser, live) -> Iterator[Page]:
    """A page on the server of the small fixture graph."""
    yield from _open(browser, live)


@pytest.fixture()
def corpus_page(browser, corpus_live) -> Iterator[Page]:
    """A page on the server of the real corpus."""
    yield from _open(browser, corpus_live)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Where the pictures go, to be looked at by a person (path printed with ``-s``)."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    print(f"screenshots in {folder}")
    return folder


def test_type_a_query_run_it_and_see_the_rows(page):
    page.goto("/")
    editor = page.locator("#query")
    editor.fill("")
    editor.type("SELECT DISTINCT ?document ?symbol WHERE {\n"
                "?document a unkg:Resolution ; dcterms:identifier ?symbol }\nORDER BY ?symbol")
    page.click("#run")
    rows = page.locator("table.results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("A/RES/70/174")
    expect(rows.nth(1)).to_contain_text("A/RES/71/209")
    expect(page.locator("table.results thead")).to_contain_text("?symbol")
    expect(page.locator("#status")).to_contain_text("2 rows")
    link = rows.nth(0).locator("a")
    expect(link).to_have_attribute("href", "/res/ga/70/174")
    csv_link = page.locator('#result-downloads a[data-format="csv"]')
    expect(csv_link).to_have_attribute("href", re.compile(r"^/sparql\?query=.*format=csv"))


def test_examples_fill_the_editor_and_run(page):
    page.goto("/")
    page.select_option("#examples", "cq4-congresses")
    expect(page.locator("#query")).to_have_value(re.compile("unkg:Congress"))
    page.locator("#query").press("Control+Enter")
    expect(page.locator("table.results tbody tr")).to_have_count(1)
    expect(page.locator("table.results")).to_contain_text("Doha")


def test_a_bad_query_shows_the_parser_message(page):
    page.goto("/")
    page.locator("#query").fill("SELECT * WHERE { ?s ?p }")
    page.click("#run")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error")).to_contain_text("error at 1:")


def _shoot(page: Page, section, path: Path, height: int = 900) -> None:
    """A picture of the page from the top of ``section`` down, ``height`` pixels."""
    top = section.bounding_box()["y"] + page.evaluate("() => window.scrollY")
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": top - 10, "width": 1280, "height": height})


def test_click_a_citation_and_land_on_the_cited_resource(corpus_page, screenshots):
    corpus_page.goto("/res/ga/70/174")
    paragraph = corpus_page.locator('[id="/res/ga/70/174/preamble/1"]')
    citation = paragraph.locator("a.citation").first
    expect(citation).to_have_text("Economic and Social Council resolution 155 C (VII) of "
                                  "13 August 1948")
    expect(citation).to_have_attribute("title", "ECOSOC resolution 155 C (VII), 13 August 1948")
    citation.hover()
    _shoot(corpus_page, corpus_page.locator("section.text").first, screenshots / "text.png")
    citation.click()
    expect(corpus_page).to_have_url(re.compile(r"/res/ecosoc/7/155/C$"))
    expect(corpus_page.locator("h1")).to_have_text("7/155 C")
    expect(corpus_page.locator("table.citations").last).to_contain_text("A/RES/70/174")


def test_footnote_markers_go_to_the_footnote_and_back(corpus_page, screenshots):
    corpus_page.goto("/doc/A/68/456/draft/V")
    corpus_page.locator("sup.footnote-ref a", has_text="15").click()
    expect(corpus_page).to_have_url(re.compile(r"#fn-15$"))
    footnote = corpus_page.locator('[id="fn-15"]')
    expect(footnote).to_be_in_viewport()
    expect(footnote.locator("a.citation")).to_have_count(19)
    _shoot(corpus_page, corpus_page.locator("section.footnotes"), screenshots / "footnotes.png")
    footnote.locator("a.footnote-back").click()
    expect(corpus_page).to_have_url(re.compile(r"#fnref-15$"))
    expect(corpus_page.locator('[id="fnref-15"]')).to_be_in_viewport()


def test_screenshots(page, screenshots):
    """Pictures of the query page and a resource page, to be looked at by a person."""
    folder = screenshots
    page.goto("/")
    page.select_option("#examples", "cq2-what-70-174-cites")
    page.click("#run")
    expect(page.locator("table.results tbody tr")).to_have_count(3)
    page.screenshot(path=str(folder / "query.png"), full_page=True)
    page.goto("/res/ga/70/174")
    expect(page.locator("svg.neighbourhood")).to_be_visible()
    page.screenshot(path=str(folder / "resource.png"), full_page=True)
    page.goto("/res/ga/71/209")  # markup-like text and an unresolved citation
    _shoot(page, page.locator("section.text"), folder / "unresolved.png", 300)
    assert (folder / "query.png").stat().st_size > 0


def test_stats_charts_render_with_the_corpus_numbers(corpus_page, corpus_store, screenshots):
    """The charts are drawn, with the figures a plain SPARQL count gives on the corpus."""
    [row] = corpus_store.query(
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <http://purl.org/spar/cito/Citation> }",
        use_default_graph_as_union=True)
    [top] = corpus_store.query(
        "SELECT ?x (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c <http://purl.org/spar/cito/hasCitedEntity> "
        "?x . ?x a <https://w3id.org/unkg/ontology#Resolution> } GROUP BY ?x "
        "ORDER BY DESC(?n) ?x LIMIT 1", use_default_graph_as_union=True)
    corpus_page.goto("/")
    corpus_page.click("text=Statistics")
    expect(corpus_page).to_have_url(re.compile(r"/stats$"))
    expect(corpus_page.locator("p.intro")).to_contain_text(f"{row['n'].value} citations in")
    resolutions = corpus_page.locator("#most-cited svg.bars").first
    expect(resolutions).to_be_visible()
    expect(resolutions.locator("g.bar")).to_have_count(10)
    first = resolutions.locator("a").first
    expect(first).to_have_attribute("href", "/" + top["x"].value.split("/unkg/", 1)[1])
    expect(first.locator("text.value")).to_have_text(top["n"].value)
    assert first.locator("rect").bounding_box()["width"] > 300  # the longest bar is drawn long
    for section, mark in [("by-year", "g.column rect"), ("lineage", "g.member"),
                          ("by-body", "g.bar"), ("by-verb", "g.bar")]:
        expect(corpus_page.locator(f"#{section} svg").first).to_be_visible()
        assert corpus_page.locator(f"#{section} svg {mark}").count() > 1, section
    for section in ("most-cited", "by-year", "lineage", "by-body"):
        _shoot(corpus_page, corpus_page.locator(f"#{section}"), screenshots / f"stats-{section}.png")
    congress = corpus_page.locator("#lineage h3", has_text="Congress on Crime Prevention")
    _shoot(corpus_page, congress, screenshots / "stats-congress-series.png", 330)
    first.click()
    expect(corpus_page).to_have_url(re.compile(re.escape(top["x"].value.split("/unkg/", 1)[1]) + "$"))
