"""Great Expectations Data Docs for one edition, readable offline and the same bytes on every run.

GX's pages load Bootstrap, Font Awesome and jQuery from CDNs and stamp the run time into
paths and pages. `make_offline` strips every off-file reference (links, scripts, images,
CSS `url()`s, the newsletter footer) and puts in what they stood for: an inline stylesheet
with the few layout rules the pages use (Bootstrap's grid, cards, collapsed sections) and
the status icons as text (✔ ✘ ⚠ ?), which needs no web font. The validation runs get a
fixed run id (`run_id`), so the same edition gives the same pages. The person's report is
the review page (review/page.py); Data Docs stay the checks' own detailed record.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

OFFLINE_CSS = """<style>
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
.alert-danger,.text-danger{color:#a00}.alert-success,.text-success{color:#070}
nav,.ge-index-page-site-name-title-container img{display:none}
</style>"""

# what Bootstrap gave the Data Docs layout, and Font Awesome's status icons as text (no web font)
DATA_DOCS_CSS = """<style>
.container-fluid,.row{display:flex;flex-wrap:wrap;width:100%}.col-12{flex:0 0 100%}.col-6{flex:0 0 50%}
.col-md-2{flex:0 0 16%;max-width:16%}.col-md-10{flex:0 0 82%;max-width:82%}
.card{border:1px solid #ccc;border-radius:4px;margin:0 0 1em}.card-header{background:#f3f3f3;padding:.4em .6em}
.card-body{padding:.5em .8em}.mb-3{margin-bottom:1em}.p-2{padding:.5em}.d-none,.modal{display:none}
.table{width:100%}.list-group{list-style:none;padding:0}
i.fas{font-style:normal;font-weight:bold}
</style>"""
ICONS = {"fa-check-circle": "✔", "fa-times": "✘", "fa-exclamation-triangle": "⚠", "fa-question-circle": "?",
         "fa-comment": "💬"}
ICON = re.compile(r'(<i class="fas (fa-[a-z-]+)[^"]*"[^>]*>)\s*(</i>)')

# GX writes the run time into page paths and tables; the edition's digest names the run instead
FIXED_RUN_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LOAD_TIME = re.compile(r"\b\d{8}T\d{6}\.\d{6}Z\b")  # the batch's ge_load_time


def without_run_noise(page: str) -> str:
    """The same page whenever it is built: random element ids numbered in order, load times blanked."""
    numbers: dict[str, str] = {}
    page = UUID.sub(lambda m: numbers.setdefault(m.group(0), f"id{len(numbers) + 1}"), page)
    return LOAD_TIME.sub("—", page)


def run_id(edition_id: str, digest: str):
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=f"{edition_id}-{digest[:12]}", run_time=FIXED_RUN_TIME)


def site_config(docs_dir: Path) -> dict:
    """A filesystem Data Docs site in docs_dir (inside the project: ephemeral mode would write to /tmp)."""
    return {"local": {
        "class_name": "SiteBuilder", "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(Path(docs_dir).resolve())},  # GX requires absolute
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }}


EXTERNAL = re.compile(r"<link[^>]+href=\"https?://[^\"]*\"[^>]*>|<script[^>]+src=\"https?://[^\"]*\"[^>]*>\s*</script>"
                      r"|<img[^>]+src=\"https?://[^\"]*\"[^>]*>", re.I)
NEWSLETTER = re.compile(r"<footer>(?:(?!</footer>).)*newsletter(?:(?!</footer>).)*</footer>", re.S | re.I)
OFF_FILE_URL = re.compile(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", re.I)  # CSS background images from the web
OFF_FILE_HREF = re.compile(r"\s+href=\"(?:https?:)?//[^\"]*\"", re.I)  # a link off the file: plain text then


def offline_page(text: str) -> str:
    """One Data Docs page with nothing that leaves the file, and its status icons as text."""
    text = NEWSLETTER.sub("", EXTERNAL.sub("", text))
    text = OFF_FILE_HREF.sub("", OFF_FILE_URL.sub("none", text))
    return ICON.sub(lambda m: m.group(1) + ICONS.get(m.group(2), "•") + m.group(3), text)


# the pages need no script: none may run, whatever a value from a PDF smuggles in
NO_SCRIPTS = ('<meta http-equiv="Content-Security-Policy" '
              'content="default-src \'none\'; style-src \'unsafe-inline\'; img-src \'self\' data:">')


def markup_in(data) -> set[str]:
    """Every string in data (an edition) that holds markup characters: what GX may print unescaped."""
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and ("<" in item or ">" in item):
            found.add(item)
    return found


def escape_values(page: str, values) -> str:
    """GX renders unexpected values as raw HTML: put each value from the edition back as text."""
    import html

    for value in sorted(values, key=len, reverse=True):
        page = page.replace(value, html.escape(value, quote=False))
    return page


def make_offline(docs_dir: Path, edition: dict | None = None) -> None:
    """Strip CDN stylesheets, scripts and images from Data Docs pages; add a small inline stylesheet
    and a policy that runs no script; escape the edition's values GX printed raw; remove what
    differs from run to run."""
    for page in Path(docs_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = without_run_noise(offline_page(text))
        text = escape_values(text, markup_in(edition or {}))
        text = text.replace("<head>", "<head>" + NO_SCRIPTS, 1)
        text = text.replace("</head>", OFFLINE_CSS + DATA_DOCS_CSS + "</head>", 1)
        page.write_text(text, encoding="utf-8")
    for sheet in Path(docs_dir).rglob("*.css"):
        sheet.write_text(OFF_FILE_URL.sub("none", sheet.read_text(encoding="utf-8")), encoding="utf-8")
    # GX's web fonts and marketing images (4 MB an edition) serve only the CDN-styled look
    shutil.rmtree(Path(docs_dir) / "static" / "fonts", ignore_errors=True)
    for image in (Path(docs_dir) / "static" / "images").glob("*"):
        if image.name != "favicon.ico":
            image.unlink()
