"""The citation neighbourhood of a resource as an SVG picture, drawn on the server.

Three columns: the documents citing the resource on the left, the resource in the middle,
what it cites on the right, with an arrow per citation direction. Each box links to its
resource page. Pure: takes labels and links, returns markup; no script, no web font.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from server.pages import Link

BOX_WIDTH, BOX_HEIGHT, ROW, GAP = 220, 26, 34, 110
MAX_PER_SIDE = 12


def _short(text: str, size: int = 32) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _box(x: int, y: int, link: Link, href: str, css: str) -> str:
    return (f'<a href="{escape(href)}"><g class="{css}"><title>{escape(link.label)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="5"/>'
            f'<text x="{x + BOX_WIDTH // 2}" y="{y + 17}" text-anchor="middle">'
            f'{escape(_short(link.label))}</text></g></a>')


def _column(links: list[Link]) -> list[Link]:
    if len(links) <= MAX_PER_SIDE:
        return links
    return links[: MAX_PER_SIDE - 1] + [Link("", f"+ {len(links) - MAX_PER_SIDE + 1} more")]


def neighbourhood(center: Link, citing: list[Link], cited: list[Link], href) -> Markup:
    """The picture; ``href(iri)`` turns an IRI into the link a box points to."""
    left, right = _column(citing), _column(cited)
    rows = max(len(left), len(right), 1)
    height = rows * ROW + 20
    width = 3 * BOX_WIDTH + 2 * GAP + 20
    cx, cy = 10 + BOX_WIDTH + GAP, height // 2 - BOX_HEIGHT // 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="neighbourhood" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
             f'<title>Citation neighbourhood of {escape(center.label)}</title>'
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>']
    for side, links in (("citing", left), ("cited", right)):
        x = 10 if side == "citing" else cx + BOX_WIDTH + GAP
        top = height // 2 - len(links) * ROW // 2
        for i, link in enumerate(links):
            y = top + i * ROW
            start, end = ((x + BOX_WIDTH, y + BOX_HEIGHT // 2), (cx, cy + BOX_HEIGHT // 2)) \
                if side == "citing" else ((cx + BOX_WIDTH, cy + BOX_HEIGHT // 2),
                                          (x, y + BOX_HEIGHT // 2))
            parts.append(f'<line x1="{start[0]}" y1="{start[1]}" x2="{end[0]}" y2="{end[1]}" '
                         'marker-end="url(#arrow)"/>')
            parts.append(_box(x, y, link, href(link.iri) if link.iri else "#", side))
    parts.append(_box(cx, cy, center, href(center.iri), "center"))
    parts.append("</svg>")
    return Markup("".join(parts))
