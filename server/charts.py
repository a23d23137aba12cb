"""The charts of ``/stats`` as SVG drawn on the server: no script, no web font, no CDN.

Pure: each function takes figures (``server/figures.py``) and a function turning an IRI into
the link a mark points to, and returns markup, every text escaped. A bar, column or dot carries
a ``<title>`` (the browser's tooltip) with its exact figure, so the picture can be read
precisely as well as at a glance.
"""

from __future__ import annotations

from typing import Callable

from markupsafe import Markup, escape

from server.figures import Count, Series

Href = Callable[[str], str]
WIDTH = 760
ROW = 24


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _svg(css: str, height: int, title: str, body: list[str]) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
                  f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
                  f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def _link(mark: str, iri: str | None, href: Href) -> str:
    return f'<a href="{escape(href(iri))}">{mark}</a>' if iri else mark


def bars(counts: list[Count], title: str, href: Href, label_width: int = 330) -> Markup:
    """Horizontal bars, largest first as given, each a link to what it counts."""
    top = max((c.value for c in counts), default=1)
    room = WIDTH - label_width - 50
    body = []
    for i, count in enumerate(counts):
        y = 6 + i * ROW
        width = max(1, round(room * count.value / top))
        mark = (f'<g class="bar"><title>{escape(count.note or count.label)}</title>'
                f'<text class="label" x="{label_width - 8}" y="{y + 13}" text-anchor="end">'
                f'{escape(_short(count.label, label_width // 7))}</text>'
                f'<rect x="{label_width}" y="{y}" width="{width}" height="{ROW - 8}" rx="2"/>'
                f'<text class="value" x="{label_width + width + 6}" y="{y + 13}">'
                f'{count.value}</text></g>')
        body.append(_link(mark, count.iri, href))
    return _svg("bars", 12 + len(counts) * ROW, title, body)


def columns(counts: list[Count], title: str) -> Markup:
    """One column per year from the first to the last, empty years included, so the gaps in
    what the corpus cites show; a tick every ten years."""
    years = {int(c.label): c for c in counts}
    if not years:
        return _svg("columns", 40, title, [])
    first, last = min(years) // 10 * 10, max(years)
    top = max(c.value for c in counts)
    left, bottom, height = 40, 190, 220
    step = (WIDTH - left - 10) / (last - first + 1)
    body = [f'<line class="axis" x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}"/>',
            f'<text class="tick" x="{left - 6}" y="{bottom - 150 + 4}" text-anchor="end">'
            f'{top}</text>',
            f'<line class="grid" x1="{left}" y1="{bottom - 150}" x2="{WIDTH - 10}" '
            f'y2="{bottom - 150}"/>']
    for year in range(first, last + 1):
        x = left + (year - first) * step
        if year % 10 == 0:
            body.append(f'<text class="tick" x="{x:.1f}" y="{bottom + 16}">{year}</text>')
        if year in years:
            h = max(1.0, 150 * years[year].value / top)
            body.append(f'<g class="column"><title>{escape(years[year].note)}</title>'
                        f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{max(step - 1, 1):.1f}" '
                        f'height="{h:.1f}"/></g>')
    return _svg("columns", height, title, body)


def timeline(series: Series, href: Href) -> Markup:
    """Each resolution of a series on a year axis, one row each, with an arc to every earlier
    resolution or decision it recalls; several recalled in one year stack up."""
    members = series.members
    years = [m.year for m in members] + [r.year for m in members for r in m.recalls]
    first, last = min(years) // 5 * 5, max(years) + 1
    left, right = 20, WIDTH - 150
    scale = (right - left) / max(last - first, 1)

    def x(year: int) -> float:
        return left + (year - first) * scale

    rows, y = [], 40
    for member in members:
        stacks: dict[int, int] = {}
        for recalled in member.recalls:
            stacks[recalled.year] = stacks.get(recalled.year, 0) + 1
        depth = max(stacks.values(), default=1)
        rows.append((member, y + 8 * depth))
        y += 8 * depth + 34
    height = y + 10
    body = [f'<line class="axis" x1="{left}" y1="{height - 22}" x2="{right}" '
            f'y2="{height - 22}"/>']
    for year in range(first, last + 1, 5):
        body.append(f'<text class="tick" x="{x(year):.1f}" y="{height - 6}" '
                    f'text-anchor="middle">{year}</text>')
    # The series itself: a thread from each of its documents to the next.
    thread = " ".join(f"{'M' if i == 0 else 'L'} {x(m.year):.1f} {base}"
                      for i, (m, base) in enumerate(rows))
    body.append(f'<path class="thread" d="{thread}"/>')
    for member, base in rows:
        mx = x(member.year)
        seen: dict[int, int] = {}
        for recalled in member.recalls:
            level = seen.get(recalled.year, 0)
            seen[recalled.year] = level + 1
            rx, ry = x(recalled.year), base - 8 * level
            lift = min(30.0, 6 + (mx - rx) / 8)
            body.append(f'<path class="recall" d="M {mx:.1f} {base} Q {(mx + rx) / 2:.1f} '
                        f'{base - lift - 8 * level:.1f} {rx:.1f} {ry:.1f}"/>')
            css = "recalled member" if recalled.member else "recalled"
            body.append(_link(f'<circle class="{css}" cx="{rx:.1f}" cy="{ry:.1f}" r="3.5">'
                              f'<title>{escape(recalled.label)} ({recalled.year}), recalled by '
                              f'{escape(member.label)}</title></circle>', recalled.iri, href))
        body.append(_link(
            f'<g class="member"><title>{escape(member.label)} ({member.year}): '
            f'{escape(member.title)}; recalls {len(member.recalls)} earlier resolutions and '
            f'decisions</title><circle cx="{mx:.1f}" cy="{base}" r="6"/>'
            f'<text x="{mx + 10:.1f}" y="{base + 4}">{escape(member.label)} ({member.year})'
            f'</text></g>', member.iri, href))
    return _svg("timeline", height, f"Lineage of the series “{series.title}”", body)
