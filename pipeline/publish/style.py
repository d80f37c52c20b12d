"""The one look of every page we make (review page, index page; the diff may share it): an inline stylesheet.

Pages are self-contained, so the CSS goes into a `<style>` element (`style_tag()`),
never a link; system fonts only (no web font to fetch).
"""

from __future__ import annotations

REPORT_CSS = """
:root{--ok:#1a7f37;--bad:#c62828;--warn:#b26a00;--fix:#6f42c1;--line:#d0d7de;--muted:#57606a;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;
 margin:0 auto;padding:1.2em 1.5em 3em;max-width:78em;color:#1f2328;line-height:1.45}
h1{font-size:1.5em;margin:.2em 0 .4em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:0}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid var(--line);padding:.25em .55em;
 vertical-align:top;text-align:left}th{background:var(--bg)}
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
blockquote.paragraph{margin:0;padding:.3em .6em;border-left:3px solid var(--line);background:var(--bg);
 font-size:.9em}
details>summary{cursor:pointer;color:var(--muted)}
ul.items{margin:.2em 0;padding-left:1.2em}
svg.chart{max-width:100%;height:auto}
svg.chart text{font-size:11px;fill:#1f2328}svg.chart rect.bar{fill:#4878d0}
nav.toc a{margin-right:.8em}
"""


def style_tag(extra: str = "") -> str:
    return f"<style>{REPORT_CSS}{extra}</style>"
