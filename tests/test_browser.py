"""Every page we make, opened in headless Chromium with no network, on a desktop (1280 px) and a phone (390 px).

Each page is loaded through the DevTools protocol (tests/browser.py: Chromium over pipes, the
network closed three ways) at both widths, and measured in the browser: every piece of visible
text at least 11 px as rendered (an SVG scaled down to its card shrinks its labels; HTML text does
not), nothing sticking out of its card or running out of its box, no horizontal scrolling of the
page, no table without rows (GX's Data Docs fill theirs by script: ours are written out), no
script, and no request that leaves the file. A full-page screenshot of each is written to
$GUIDELINES_SCREENSHOTS (or a temporary folder) for a person to look at.
"""

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Chromium
from conftest import EDITIONS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed "
                                                                        "(.ci/run installs it)")]

WIDTHS = (1280, 390)
MIN_TEXT_PX = 11


@pytest.fixture(scope="module")
def built(tmp_path_factory, extracted):
    """Every kind of page, built as the pipeline builds it: the review pages, the index page, the HTML diff,
    partner and search reports and the Data Docs of both editions."""
    from pipeline.compare.diff import diff_editions
    from pipeline.compare.render import to_html
    from pipeline.publish.gate import publish_dir
    from pipeline.publish.index import write_index
    from pipeline.query import partner, render, search
    from pipeline.quality.validate import validate_dir
    from pipeline.review.page import write_review

    root = tmp_path_factory.mktemp("site")
    for name, edition_id in (("2021-2", "2021-2"), ("synthetic-2022-1", "2022-1")):
        shutil.copytree(extracted[name][1], root / "extracted" / edition_id)
        validate_dir(root / "extracted" / edition_id)
        publish_dir(root / "extracted" / edition_id, root / "published")
    write_review("2021-2", None, root / "extracted", EDITIONS["2021-2"][0], published_root=root / "published")
    write_review("2022-1", None, root / "extracted", EDITIONS["synthetic-2022-1"][0],
                 published_root=root / "published")
    write_index(root / "published", root / "extracted" / "index.html", root / "extracted")
    old, new = (json.loads((root / "extracted" / i / "edition.json").read_text(encoding="utf-8"))
                for i in ("2021-2", "2022-1"))
    (root / "diff.html").write_text(to_html(diff_editions(old, new, "2021-2", "2022-1")), encoding="utf-8")
    (root / "partner.html").write_text(render.partner_html(partner.partner_history([old, new], "DK")), encoding="utf-8")
    (root / "search.html").write_text(render.search_html(search.search([old, new], "碳捕集"), "碳捕集"), encoding="utf-8")
    return root


def pages_of(root: Path) -> dict[str, Path]:
    docs = root / "extracted" / "2021-2" / "data_docs"
    return {"review-2021-2": root / "extracted" / "2021-2" / "review.html",
            "review-2022-1": root / "extracted" / "2022-1" / "review.html",
            "index": root / "extracted" / "index.html", "diff": root / "diff.html", "partner": root / "partner.html",
            "search": root / "search.html", "data-docs-index": docs / "index.html",
            "data-docs-validation": next(docs.rglob("edition-directions.html"))}


PAGES = ["review-2021-2", "review-2022-1", "index", "diff", "partner", "search", "data-docs-index",
         "data-docs-validation"]


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory):
    """(page, width) → what Chromium rendered: measurements, the DOM, the requests, the screenshot."""
    shots = Path(os.environ.get("GUIDELINES_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    out = {}
    with Chromium() as browser:
        for name, page in pages_of(built).items():
            for width in WIDTHS:
                tab = browser.open(page, width)
                images = tab.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
                out[name, width] = {
                    "measure": tab.measure(), "dom": tab.evaluate("document.documentElement.outerHTML"),
                    "requests": tab.requests(), "images": images,
                    "screenshot": tab.screenshot(shots / f"{name}-{width}.png")}
                tab.close()
    return out


class Dom(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.elements = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def classed(self, tag, cls):
        return [a for t, a in self.elements if t == tag and cls in (a.get("class") or "").split()]


def off_file(requests: list[str], page: Path) -> list[str]:
    """Requests for anything but a file beside the page (Data Docs and the index link their own files)."""
    return [u for u in requests if not u.startswith("file://")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_is_readable_offline_at_the_width(rendered, built, name, width):
    got = rendered[name, width]
    m = got["measure"]
    assert off_file(got["requests"], pages_of(built)[name]) == [], "requests left the file"
    assert m["scripts"] == 0
    assert m["width"] == width, "the page lays itself out for the device's width (a viewport meta)"
    assert m["scroll_width"] <= width, "the page scrolls sideways"
    small = [t for t in m["texts"] if t["size"] < MIN_TEXT_PX]
    assert m["texts"] and not small, f"text below {MIN_TEXT_PX} px: {small[:5]}"
    assert m["overflows"] == [], m["overflows"][:5]
    assert m["text_overflows"] == [], m["text_overflows"][:5]
    assert [t for t in m["tables"] if t["rows"] == 0] == [], "a table without rows"
    assert all(got["images"]), "an image did not decode"
    assert got["screenshot"].stat().st_size > 10_000


@pytest.mark.parametrize("edition_id", ["2021-2", "2022-1"])
def test_review_page_renders_every_card_and_crop(rendered, built, edition_id):
    edition = json.loads((built / "extracted" / edition_id / "edition.json").read_text(encoding="utf-8"))
    dom = Dom(rendered[f"review-{edition_id}", 1280]["dom"])
    assert [a["data-direction"] for a in dom.classed("section", "card")] == [d["id"] for d in edition["directions"]]
    values = dom.classed("div", "value")
    figures, boxes = dom.classed("figure", "crop"), dom.classed("i", "box")
    with_box = [v for v in values if v["data-has-box"] == "true"]
    assert len(with_box) >= 6 * len(edition["directions"])
    assert len(figures) >= len(with_box) and len(boxes) >= len(figures)
    assert len(rendered[f"review-{edition_id}", 1280]["images"]) == len(figures)  # every crop decoded
    if edition_id == "2022-1":  # the previous published edition is 2021-2 (synthetic 2022-1 follows it)
        assert "2021-2 → 2022-1" in rendered[f"review-{edition_id}", 1280]["dom"]


def test_review_charts_are_sized_to_their_card(rendered):
    """The budget charts' labels are text at the page's size, at both widths (they were 4–6 px as 770-px SVGs)."""
    for width in WIDTHS:
        chart_text = [t for t in rendered["review-2021-2", width]["measure"]["texts"] if "chart" in t["where"]
                      or t["where"].startswith(("div.label", "span.num"))]
        assert any(t["text"] == "2,000 万元" for t in chart_text)
        assert min(t["size"] for t in chart_text) >= MIN_TEXT_PX


def test_index_page_links_the_reports(rendered, built):
    dom = Dom(rendered["index", 1280]["dom"])
    links = [a["href"] for t, a in dom.elements if t == "a"]
    assert "2021-2/review.html" in links and "2022-1/data_docs/index.html" in links
    for link in links:
        assert (built / "extracted" / link).is_file(), link


def test_data_docs_show_their_tables_and_statuses_without_script(rendered, built):
    index = rendered["data-docs-index", 1280]
    tables = {t["id"]: t["rows"] for t in index["measure"]["tables"]}
    # one validation result per table the checks ran on (directions, contacts, urls, values), and their four suites
    assert tables["section-1-content-block-2-1-body-table"] == 4
    assert tables["section-1-content-block-2-2-body-table"] == 4
    dom = Dom(index["dom"])
    docs = built / "extracted" / "2021-2" / "data_docs"
    for tag, attrs in dom.elements:
        if tag == "a" and attrs.get("href") and not attrs["href"].startswith(("#", "http")):
            assert (docs / attrs["href"]).is_file(), attrs["href"]  # every row's page is there
    text = rendered["data-docs-validation", 1280]["dom"]
    statuses = re.findall(r'<i class="fas fa-[a-z-]+[^"]*"[^>]*>([^<]*)</i>', text)
    assert statuses and all(s.strip() == "✔" for s in statuses)  # passed checks show a mark, not a blank cell
    assert "Subscribe" not in text and "newsletter" not in text and "Show All" not in text
