"""Great Expectations Data Docs for one edition, readable offline and the same bytes on every run.

GX's pages load Bootstrap, Font Awesome and jQuery from CDNs, fill their tables with
bootstrap-table at run time and stamp the run time into paths and pages. `make_offline`
strips every off-file reference (links, scripts, images, CSS `url()`s, the newsletter
footer) and every script, and puts in what they stood for: the tables written out as HTML
from the data their scripts held (`static_tables`), the project's one stylesheet
(style.py) with the few layout rules the pages use (Bootstrap's grid and cards), and the
status icons as text (✔ ✘ ⚠ ?), which needs no web font. Controls that only a script could
work (filters, the show-failed-only switch) are left out. The validation runs get a fixed
run id (`run_id`), so the same edition gives the same pages. The person's report is the
review page (review/page.py); Data Docs stay the checks' own detailed record.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

# the icons GX takes from Font Awesome, as text (no web font)
ICONS = {"fa-check-circle": "✔", "fa-times": "✘", "fa-exclamation-triangle": "⚠", "fa-question-circle": "?",
         "fa-comment": "💬"}
ICON = re.compile(r'(<i class="fas (fa-[a-z-]+)[^"]*"[^>]*>)\s*(</i>)')

# GX writes the run time into page paths and tables; the edition's digest names the run instead
FIXED_RUN_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# the batch's ge_load_time; the fixed run time names a folder of the site and stays
LOAD_TIME = re.compile(r"\b(?!19700101T000000\.000000Z)\d{8}T\d{6}\.\d{6}Z\b")


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


TABLE_CALL = re.compile(r"\$\('#(?P<id>[\w-]+)'\)\.bootstrapTable\(")
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
BUTTON = re.compile(r"<button\b[^>]*\bonclick=[^>]*>.*?</button>", re.S | re.I)
ONCLICK = re.compile(r"\s+onclick=\"[^\"]*\"", re.I)


def _literal_end(text: str, start: int) -> int:
    """Where the Python-style literal (a list or dict, GX writes them with repr) starting at start ends."""
    depth, i, quote = 0, start, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unterminated literal")


def _option(script: str, name: str, start: int):
    """The literal after `name:` in a bootstrapTable call's options, from start on."""
    import ast

    at = re.compile(rf"\b{name}:\s*").search(script, start)
    if at is None:
        return None
    return ast.literal_eval(script[at.end():_literal_end(script, at.end())])


def table_data(page: str) -> dict[str, tuple[list[dict], list[dict], dict]]:
    """Every bootstrap-table a page's scripts fill: table id → (columns, rows, options), read from the script
    (literals, never run)."""
    import ast

    tables = {}
    for script in SCRIPT.findall(page):
        for call in TABLE_CALL.finditer(script):
            columns = _option(script, "columns", call.end())
            rows = _option(script, "data", call.end())
            options: dict = {}  # Object.assign({columns, data, toolbar}, {options}): the second object
            first = script.find("{", call.end())
            second = script.find("{", _literal_end(script, first)) if first >= 0 else -1
            if second >= 0:
                try:
                    options = ast.literal_eval(script[second:_literal_end(script, second)])
                except (ValueError, SyntaxError):
                    options = {}
            if columns is not None and rows is not None:
                tables[call["id"]] = (columns, rows, options)
    return tables


def table_html(columns: list[dict], rows: list[dict], options: dict) -> str:
    """A bootstrap-table written out: a header of the column titles, one row per record in the order the
    script would sort them, the record's own page linked from its first cell."""
    key = options.get("sortName")
    if key:
        sort_key = next((c.get("sortName") for c in columns if c.get("field") == key and c.get("sortName")), key)
        rows = sorted(rows, key=lambda r: str(r.get(sort_key, r.get(key, ""))),
                      reverse=options.get("sortOrder") == "desc")
    import html

    head = "".join(f"<th>{html.escape(str(c.get('title', c.get('field', ''))))}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for i, column in enumerate(columns):
            value = str(row.get(column.get("field"), "")).strip()  # GX's own markup, as the script inserts it
            link = row.get("_table_row_link_path")
            if i == 0 and link and "<a " not in value:  # a row the script made clickable: its first cell links
                value = f'<a href="{html.escape(link, quote=True)}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"


def static_tables(page: str) -> str:
    """The page with every table its scripts fill written out as HTML, and no script left."""
    for table_id, (columns, rows, options) in table_data(page).items():
        element = re.compile(rf'(<table\s[^>]*\bid="{re.escape(table_id)}"[^>]*>)\s*(</table>)', re.S)
        page = element.sub(lambda m: m.group(1) + table_html(columns, rows, options) + m.group(2), page, count=1)
    page = SCRIPT.sub("", page)
    page = BUTTON.sub("", page)  # Clear Filters: a script's control
    page = _without_actions_card(page)
    return ONCLICK.sub("", page)


def _without_actions_card(page: str) -> str:
    """Drop the validation page's Actions card (Show All / Failed Only: switches only a script can work)."""
    at = page.find("<strong>Actions</strong>")
    if at < 0:
        return page
    start = page.rfind('<div class="card ', 0, at)  # the card itself, not its card-header
    depth = 0
    for m in re.finditer(r"<div\b|</div>", page[start:]):
        depth += 1 if m.group(0) == "<div" else -1
        if depth == 0:
            return page[:start] + page[start + m.end():]
    return page


def make_offline(docs_dir: Path, edition: dict | None = None) -> None:
    """Strip CDN stylesheets, scripts and images from Data Docs pages; write out the tables their scripts filled;
    add the project's stylesheet and a policy that runs no script; escape the edition's values GX printed raw;
    remove what differs from run to run."""
    from ..style import DATA_DOCS_LAYOUT, STYLESHEET, VIEWPORT

    for page in Path(docs_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = static_tables(without_run_noise(offline_page(text)))
        text = escape_values(text, markup_in(edition or {}))
        text = text.replace("<head>", "<head>" + NO_SCRIPTS + VIEWPORT, 1)
        text = text.replace("</head>", f"<style>{STYLESHEET}{DATA_DOCS_LAYOUT}</style></head>", 1)
        page.write_text(text, encoding="utf-8")
    for sheet in Path(docs_dir).rglob("*.css"):
        sheet.write_text(OFF_FILE_URL.sub("none", sheet.read_text(encoding="utf-8")), encoding="utf-8")
    # GX's web fonts and marketing images (4 MB an edition) serve only the CDN-styled look
    shutil.rmtree(Path(docs_dir) / "static" / "fonts", ignore_errors=True)
    for image in (Path(docs_dir) / "static" / "images").glob("*"):
        if image.name != "favicon.ico":
            image.unlink()
