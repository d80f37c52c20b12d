"""Great Expectations Data Docs for one edition, readable offline and the same bytes on every run.

GX's pages load Bootstrap, Font Awesome and jQuery from CDNs and stamp the run time into
paths and pages. `make_offline` strips every off-file reference and adds a small inline
stylesheet; the validation runs get a fixed run id (`run_id`), so the same edition gives
the same pages.
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


def make_offline(docs_dir: Path) -> None:
    """Strip CDN stylesheets, scripts and images from Data Docs pages; add a small inline stylesheet;
    remove what differs from run to run."""
    external = re.compile(r"<link[^>]+href=\"https?://[^\"]*\"[^>]*>|<script[^>]+src=\"https?://[^\"]*\"[^>]*>\s*</script>"
                          r"|<img[^>]+src=\"https?://[^\"]*\"[^>]*>", re.I)
    for page in Path(docs_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = without_run_noise(external.sub("", text))
        text = text.replace("</head>", OFFLINE_CSS + "</head>", 1)
        page.write_text(text, encoding="utf-8")
    # GX's web fonts and marketing images (4 MB an edition) serve only the CDN-styled look
    shutil.rmtree(Path(docs_dir) / "static" / "fonts", ignore_errors=True)
    for image in (Path(docs_dir) / "static" / "images").glob("*"):
        if image.name != "favicon.ico":
            image.unlink()
