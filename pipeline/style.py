"""One look for every HTML report (diff, partner history, search, index, review): the stylesheet
and the page around a body, self-contained (no external src, href or font), so a page works offline.

Base level, so compare/ and publish/ can both use it. Charts are inline SVG (`bar_chart_svg`).
The review page (review/page.py) uses the same sheet: its panels, cards and crops are here too.
"""

from __future__ import annotations

import html

STYLESHEET = """
:root{--ink:#1d2733;--muted:#5b6776;--line:#d5dbe3;--accent:#1f5fa8;--up:#2e7d32;--down:#c62828;--bg:#fff;
--soft:#f4f6f9}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","PingFang SC","Microsoft YaHei",
system-ui,sans-serif;color:var(--ink);background:var(--bg);margin:0 auto;padding:1.5em 2em;max-width:72em;
line-height:1.5}
h1{font-size:1.5em;margin:.2em 0 .6em}h2{font-size:1.15em;margin:1.6em 0 .5em;padding-bottom:.2em;
border-bottom:1px solid var(--line)}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid var(--line);padding:.3em .6em;
text-align:left;vertical-align:top}th{background:var(--soft)}
ul{padding-left:1.3em}li{margin:.15em 0}.muted{color:var(--muted)}.up{color:var(--up)}.down{color:var(--down)}
.chart{margin:.6em 0}.chart text{font-size:12px;fill:var(--ink)}.chart .old{fill:#9fb3c8}.chart .new{fill:var(--accent)}
mark{background:#fff3b0}
h3{font-size:1.05em;margin:0}
/* the review page: a panel per summary, a card per direction, each value beside its crop */
:root{--ok:#1a7f37;--bad:#c62828;--warn:#b26a00;--fix:#6f42c1;--bg-soft:#f6f8fa}
.ok,.passed{color:var(--ok)}.bad,.failed{color:var(--bad)}.skipped,.muted{color:var(--muted)}
.warn{color:var(--warn)}
.badge{display:inline-block;border-radius:1em;padding:0 .6em;font-size:.85em;border:1px solid currentColor}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22em,1fr));gap:1em}
.panel{border:1px solid var(--line);border-radius:6px;padding:.6em .9em;background:#fff}
.card{border:1px solid var(--line);border-radius:8px;margin:1.2em 0;padding:.2em 1em 1em;background:#fff}
.card>header{display:flex;gap:.8em;align-items:baseline;flex-wrap:wrap;padding:.6em 0;
 border-bottom:1px solid var(--line)}
.value{display:grid;grid-template-columns:11em minmax(12em,1fr) minmax(14em,32em);gap:.4em 1em;
 padding:.5em 0;border-bottom:1px dashed var(--line)}
.value:last-child{border-bottom:0}
.value>.label{font-weight:600;color:var(--muted)}
.value.failed{background:#fdecea}.value.warned{background:#fff8e1}.value.corrected{box-shadow:inset 4px 0 var(--fix)}
.note{font-size:.88em;margin-top:.3em}.note.failed,.note.bad{color:var(--bad)}.note.fix{color:var(--fix)}
figure.crop{position:relative;margin:0 0 .3em;line-height:0;border:1px solid var(--line)}
figure.crop img{width:100%;height:auto}
figure.crop .box{position:absolute;border:2px solid #e53935;background:rgba(229,57,53,.08);pointer-events:none}
figure.crop figcaption{line-height:1.2;font-size:.75em;color:var(--muted);padding:.15em .3em}
blockquote.paragraph{margin:0;padding:.3em .6em;border-left:3px solid var(--line);background:var(--soft);
 font-size:.9em}
details>summary{cursor:pointer;color:var(--muted)}
ul.items{margin:.2em 0;padding-left:1.2em}
svg.chart{max-width:100%;height:auto}
svg.chart text{font-size:11px;fill:#1f2328}svg.chart rect.bar{fill:#4878d0}
nav.toc a{margin-right:.8em}
"""


def md_escape(text: str) -> str:
    """Document text made inert in Markdown: HTML escaped (a `<script>` or `<img onerror>` from a PDF
    stays text once rendered), line breaks joined, and Markdown's own marks backslashed."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    return "".join("\\" + ch if ch in "\\`*_[]|#" else ch for ch in text)


def html_page(title: str, body: str, lang: str = "zh") -> str:
    """A whole page: title (text, escaped here) around body (HTML the caller has escaped)."""
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{STYLESHEET}</style></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>\n")


def bar_chart_svg(rows: list[tuple[str, float | None, float | None]], legend: tuple[str, str] | None,
                  unit: str = "") -> str:
    """Paired horizontal bars (old, new) per label, on one scale: inline SVG, labels escaped.

    A single series: old None in every row and legend None."""
    esc = html.escape
    top = max([v for _, a, b in rows for v in (a, b) if v is not None] or [1]) or 1
    label_w, bar_w, row_h = 230, 420, 34
    height = 28 + row_h * len(rows)
    out = [f'<svg class="chart" role="img" width="{label_w + bar_w + 120}" '
           f'height="{height}" viewBox="0 0 {label_w + bar_w + 120} {height}">']
    if legend:
        out.append(f'<rect class="old" x="{label_w}" y="4" width="12" height="10"/>'
                   f'<text x="{label_w + 16}" y="13">{esc(legend[0])}</text>'
                   f'<rect class="new" x="{label_w + 130}" y="4" width="12" height="10"/>'
                   f'<text x="{label_w + 146}" y="13">{esc(legend[1])}</text>')
    for i, (label, a, b) in enumerate(rows):
        y = 24 + i * row_h
        out.append(f'<text x="{label_w - 6}" y="{y + 18}" text-anchor="end">{esc(label)}</text>')
        for j, (value, cls) in enumerate(((a, "old"), (b, "new"))):
            if value is None:
                continue
            width = round(bar_w * value / top, 1)
            out.append(f'<rect class="{cls}" x="{label_w}" y="{y + j * 14}" width="{width}" height="12">'
                       f"<title>{esc(label)}: {value:g}{esc(unit)}</title></rect>"
                       f'<text x="{label_w + width + 4}" y="{y + j * 14 + 10}">{value:g}{esc(unit)}</text>')
    out.append("</svg>")
    return "".join(out)
