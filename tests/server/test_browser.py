"""The query page in a real browser (Debian's headless Chromium driven by Playwright): type a
query, run it, see the rows; pick an example; see the error of a bad query.

Without Debian's chromium the tests are skipped, never passed: the reason gives the command
that installs it (``scripts/test`` runs it itself when it can).
"""

from __future__ import annotations

import re
from pathlib import Path

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


@pytest.fixture()
def page(browser, live) -> Page:
    context = browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(
        live.url) else (outside.append(route.request.url), route.abort())))
    opened = context.new_page()
    yield opened
    context.close()
    assert outside == []  # the page never reaches beyond this server


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


def test_screenshots(page, tmp_path_factory):
    """Pictures of the query page and a resource page, to be looked at by a person."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    page.goto("/")
    page.select_option("#examples", "cq2-what-70-174-cites")
    page.click("#run")
    expect(page.locator("table.results tbody tr")).to_have_count(3)
    page.screenshot(path=str(folder / "query.png"), full_page=True)
    page.goto("/res/ga/70/174")
    expect(page.locator("svg.neighbourhood")).to_be_visible()
    page.screenshot(path=str(folder / "resource.png"), full_page=True)
    assert (folder / "query.png").stat().st_size > 0
