"""One look for every HTML page we make (review, diff, partner history, search, index, and the GX Data
Docs): the stylesheet, the page around a body and the bar charts, self-contained (no external src,
href or font), so a page works offline.

Base level, so every stage can use it. Pages are read on a desktop (1280 px) and on a phone
(390 px): the layout reflows at 60em and 40em, text never scales below the body's size, and long
words (URLs, e-mails) wrap instead of running under the next column. Charts are HTML bars
(`bar_chart_html`), so their labels are text at the page's size whatever the card's width.
"""

from __future__ import annotations

import html

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'

STYLESHEET = """
:root{--ink:#1d2733;--muted:#5b6776;--line:#d5dbe3;--accent:#1f5fa8;--old:#9fb3c8;--up:#2e7d32;--down:#c62828;
--bg:#fff;--soft:#f4f6f9;--ok:#1a7f37;--bad:#c62828;--warn:#b26a00;--fix:#6f42c1}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","PingFang SC","Microsoft YaHei",
system-ui,sans-serif;font-size:15px;color:var(--ink);background:var(--bg);margin:0 auto;padding:1.5em 2em;
max-width:72em;line-height:1.5;overflow-wrap:break-word}
h1{font-size:1.5em;margin:.2em 0 .6em}h2{font-size:1.15em;margin:1.6em 0 .5em;padding-bottom:.2em;
border-bottom:1px solid var(--line)}h3{font-size:1.05em;margin:0 0 .3em}
a{color:var(--accent)}code{font-size:.93em;overflow-wrap:anywhere}
/* a table wider than the page scrolls inside its own box (a phone), the page itself never does */
table{border-collapse:collapse;margin:.5em 0;display:block;max-width:100%;overflow-x:auto}
td,th{border:1px solid var(--line);padding:.3em .6em;text-align:left;vertical-align:top;overflow-wrap:normal}
th{background:var(--soft)}
ul{padding-left:1.3em}li{margin:.15em 0}
.muted{color:var(--muted)}.up{color:var(--up)}.down{color:var(--down)}mark{background:#fff3b0}
.ok,.passed{color:var(--ok)}.bad,.failed{color:var(--bad)}.skipped{color:var(--muted)}.warn{color:var(--warn)}
.badge{display:inline-block;border-radius:1em;padding:0 .6em;font-size:.85em;border:1px solid currentColor}
.scroll{overflow-x:auto;max-width:100%}
/* panels of a summary grid, and cards (one per direction on the review page, one per section in Data Docs) */
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(22em,100%),1fr));gap:1em}
.panel{border:1px solid var(--line);border-radius:6px;padding:.6em .9em;background:#fff;min-width:0}
.panel.changes{grid-column:1/-1}
.card{border:1px solid var(--line);border-radius:8px;margin:1.2em 0;padding:.2em 1em 1em;background:#fff;min-width:0}
.card>header{display:flex;gap:.8em;align-items:baseline;flex-wrap:wrap;padding:.6em 0;
 border-bottom:1px solid var(--line)}
/* the review page: each value beside its crop of the PDF */
.value{display:grid;grid-template-columns:10em minmax(0,1fr) minmax(0,34em);gap:.4em 1em;
 padding:.5em 0;border-bottom:1px dashed var(--line)}
.value:last-child{border-bottom:0}
.value>.label{font-weight:600;color:var(--muted)}
.value>.text{min-width:0;overflow-wrap:anywhere}
.value>.source{min-width:0}
.value.failed{background:#fdecea}.value.warned{background:#fff8e1}.value.corrected{box-shadow:inset 4px 0 var(--fix)}
.note{font-size:.88em;margin-top:.3em}.note.failed,.note.bad{color:var(--bad)}.note.fix{color:var(--fix)}
figure.crop{margin:0 0 .3em;border:1px solid var(--line);max-width:100%}
figure.crop .frame{position:relative;display:block;line-height:0}
figure.crop img{width:100%;height:auto;display:block}
figure.crop .box{position:absolute;border:2px solid #e53935;background:rgba(229,57,53,.08);pointer-events:none}
figure.crop figcaption{line-height:1.2;font-size:.8em;color:var(--muted);padding:.15em .3em}
blockquote.paragraph{margin:0;padding:.3em .6em;border-left:3px solid var(--line);background:var(--soft);
 font-size:.9em}
details>summary{cursor:pointer;color:var(--muted)}
ul.items{margin:.2em 0;padding-left:1.2em}
nav.toc{display:flex;flex-wrap:wrap;gap:.2em .9em}
/* bar charts: a label, then one line per series: the bar on a shared scale, and its value as text */
.chart{margin:.6em 0;font-size:.87em;max-width:48em}
.chart .legend{display:flex;flex-wrap:wrap;gap:.3em 1em;margin-bottom:.3em}
.chart .row{display:grid;grid-template-columns:minmax(4em,9em) minmax(0,1fr);gap:.1em .6em;align-items:center;
 padding:.15em 0}
.chart .label{text-align:right;overflow-wrap:anywhere;line-height:1.25}
.chart .track{display:grid;grid-template-columns:minmax(0,1fr) 6.5em;gap:.4em;align-items:center}
.chart .track>span:first-child{display:block}.chart .bar{display:block;height:.8em;border-radius:2px;background:var(--accent);min-width:1px}
.chart .bar.old,.chart .key.old{background:var(--old)}.chart .key{display:inline-block;width:.8em;height:.8em;
 background:var(--accent);margin-right:.3em;vertical-align:-.05em}
.chart .num{white-space:nowrap;color:var(--muted)}
@media (max-width:60em){
 .value{grid-template-columns:9em minmax(0,1fr)}
 .value>.source{grid-column:1/-1}
}
@media (max-width:40em){
 body{padding:.8em .7em;font-size:15px}
 .card{padding:.2em .6em .6em}
 .value{grid-template-columns:minmax(0,1fr)}
 .value>.label{margin-bottom:-.3em}
 .chart .row{grid-template-columns:minmax(0,1fr)}
 .chart .label{text-align:left}
 td,th{padding:.25em .35em}
}
"""

# what Bootstrap gave the GX Data Docs layout (their pages keep their own markup), in our look
DATA_DOCS_LAYOUT = """
.container-fluid,.row{display:flex;flex-wrap:wrap;width:100%;gap:0 1em}.col-12{flex:1 1 100%;min-width:0}
.col-6{flex:1 1 45%;min-width:0}.col-md-2{flex:0 1 14em;min-width:0}.col-md-10{flex:1 1 30em;min-width:0}
.card-header{background:var(--soft);padding:.4em .6em;margin:0 -1em;border-bottom:1px solid var(--line)}
.card-body{padding:.5em 0}.mb-3{margin-bottom:1em}.p-2{padding:.5em}.d-none,.modal,.sr-only{display:none}
.table{width:100%}.list-group{list-style:none;padding:0}.list-group-item{padding:.2em 0}
.text-danger{color:var(--bad)}.text-success{color:var(--ok)}.alert-danger{color:var(--bad)}
.alert-success{color:var(--ok)}
nav,.ge-index-page-site-name-title-container img,.cooltip .top{display:none}
h4,h5,h6{font-size:1em;margin:.3em 0}
.nav-tabs{display:flex;flex-wrap:wrap;gap:.2em 1.2em;list-style:none;padding:0}.lead{color:var(--muted)}small,.small{font-size:.87em}
i.fas{font-style:normal;font-weight:bold}
.table-responsive,.ge-table-responsive{overflow-x:auto;max-width:100%}
"""


def md_escape(text: str) -> str:
    """Document text made inert in Markdown: HTML escaped (a `<script>` or `<img onerror>` from a PDF
    stays text once rendered), line breaks joined, and Markdown's own marks backslashed."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    return "".join("\\" + ch if ch in "\\`*_[]|#" else ch for ch in text)


def head(title: str, lang: str = "zh") -> str:
    """The document's start up to <body>: language, charset, viewport, title (text, escaped here), the stylesheet."""
    return (f"<!doctype html><html lang={'zh-CN' if lang == 'zh' else 'en'}><head><meta charset=utf-8>{VIEWPORT}"
            f"<title>{html.escape(title)}</title><style>{STYLESHEET}</style></head><body>")


def html_page(title: str, body: str, lang: str = "zh") -> str:
    """A whole page: title (text, escaped here) around body (HTML the caller has escaped)."""
    return f"{head(title, lang)}<h1>{html.escape(title)}</h1>{body}</body></html>\n"


def bar_chart_html(rows: list[tuple[str, float | None, float | None]], legend: tuple[str, str] | None,
                   value_text=lambda v: f"{v:g}") -> str:
    """Horizontal bars on one scale, one row per label: the old and new value (legend names them), or
    one series (old None in every row, legend None). Labels and values are text; value_text formats a
    value (format_wan for yuan: the same units as the tables beside the chart)."""
    esc = html.escape
    top = max([abs(v) for _, a, b in rows for v in (a, b) if v is not None] or [1]) or 1
    out = ['<figure class="chart">']
    if legend:
        out.append(f'<div class="legend"><span><i class="key old"></i>{esc(legend[0])}</span>'
                   f'<span><i class="key new"></i>{esc(legend[1])}</span></div>')
    for label, a, b in rows:
        bars = []
        for value, cls, name in ((a, "old", legend[0] if legend else ""), (b, "new", legend[1] if legend else "")):
            if value is None and (cls == "old" and not legend):
                continue
            if value is None:
                bars.append(f'<div class="track"><span></span><span class="num">—</span></div>')
                continue
            share = abs(value) / top
            tip = f"{label}: {value_text(value)}" + (f" ({name})" if name else "")
            bars.append(f'<div class="track" title="{esc(tip)}"><span><span class="bar {cls}" '
                        f'style="width:{share * 100:.2f}%"></span></span>'
                        f'<span class="num">{esc(value_text(value))}</span></div>')
        out.append(f'<div class="row"><div class="label">{esc(label)}</div><div>{"".join(bars)}</div></div>')
    out.append("</figure>")
    return "".join(out)
