"""Small inline SVG charts for self-contained pages (no script, no font, no image file)."""

from __future__ import annotations

import html


def bar_chart_svg(rows: list[tuple[str, float]], value_text, title: str, width: int = 520) -> str:
    """A horizontal bar chart: one labelled bar per (label, value) row; value_text(value) is printed after it."""
    bar_h, gap, label_w, text_w = 18, 6, 190, 90
    height = len(rows) * (bar_h + gap) + 24
    top = max((v for _, v in rows if v), default=0) or 1
    scale = (width - label_w - text_w) / top
    parts = [f'<svg class="chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{html.escape(title)}</title>'
             f'<text x="0" y="13" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, value) in enumerate(rows):
        y = 22 + i * (bar_h + gap)
        length = max(0.0, (value or 0) * scale)
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(label[:24])}</text>'
                     f'<rect class="bar" x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}"/>'
                     f'<text x="{label_w + length + 4:.1f}" y="{y + 13}">{html.escape(value_text(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)
