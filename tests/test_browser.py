"""Every page we make, opened in headless Chromium with no network: it renders, and nothing leaves the file.

Each page gets a probe script (added to a copy) that records, once the page has loaded,
every resource the browser fetched (data: URIs are not fetches) and how many images
decoded. The network is closed twice over (no name resolves, the proxy goes nowhere), so
a page that needed the web would also show it as missing images or styles.
"""

import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EDITIONS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed "
                                                                        "(.ci/run installs it)")]

PROBE = ('<script>addEventListener("load",()=>{const d=document.documentElement,i=[...document.images];'
         'd.setAttribute("data-requests",performance.getEntriesByType("resource").map(e=>e.name).join(" "));'
         'd.setAttribute("data-images",i.length);d.setAttribute("data-images-decoded",'
         'i.filter(x=>x.complete&&x.naturalWidth>0).length)})</script>')


def chromium_dom(page: Path) -> str:
    """The DOM of page after load, as headless Chromium with no network has it."""
    probed = page.with_name(f".probe-{page.name}")
    text = page.read_text(encoding="utf-8")
    probed.write_text(PROBE + text if not text.lower().startswith("<!doctype") else
                      re.sub(r"(<!doctype[^>]*>)", r"\1" + PROBE, text, count=1, flags=re.I), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
             "--virtual-time-budget=5000", "--dump-dom", probed.as_uri()],
            capture_output=True, text=True, timeout=120)
    probed.unlink()
    assert result.returncode == 0 and "data-requests" in result.stdout, result.stderr[-500:]
    return result.stdout


class Dom(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.elements = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def classed(self, tag, cls):
        return [a for t, a in self.elements if t == tag and cls in (a.get("class") or "").split()]

    def root(self):
        return next(a for t, a in self.elements if t == "html")


def assert_offline(dom: Dom, allow_relative: bool = False):
    root = dom.root()
    assert root["data-requests"] == "", f"requests left the file: {root['data-requests']}"
    assert root["data-images"] == root["data-images-decoded"]
    for tag, attrs in dom.elements:
        for key in ("src", "href"):
            ref = attrs.get(key)
            if ref is None or ref.startswith(("data:", "#")):
                continue
            assert allow_relative and tag in ("a", "link") and not re.match(r"[a-z]+:|//", ref), f"<{tag} {key}={ref}>"


@pytest.fixture(scope="module")
def built(tmp_path_factory, extracted):
    """The review page, the index page, the HTML diff and the Data Docs of 2021-2, built as the pipeline does."""
    from pipeline.compare.diff import diff_editions
    from pipeline.compare.render import to_html
    from pipeline.publish.gate import publish_dir
    from pipeline.publish.index import write_index
    from pipeline.review.page import write_review
    from pipeline.quality.validate import validate_dir

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
    return root


@pytest.mark.parametrize("edition_id", ["2021-2", "2022-1"])
def test_review_page_renders_every_card_and_crop(built, edition_id):
    edition = json.loads((built / "extracted" / edition_id / "edition.json").read_text(encoding="utf-8"))
    dom = Dom(chromium_dom(built / "extracted" / edition_id / "review.html"))
    assert_offline(dom)
    assert [a["data-direction"] for a in dom.classed("section", "card")] == [d["id"] for d in edition["directions"]]
    values = dom.classed("div", "value")
    figures, boxes = dom.classed("figure", "crop"), dom.classed("i", "box")
    with_box = [v for v in values if v["data-has-box"] == "true"]
    assert len(with_box) >= 6 * len(edition["directions"])
    assert len(figures) >= len(with_box) and len(boxes) >= len(figures)
    assert int(dom.root()["data-images-decoded"]) == len(figures)  # every crop decoded in the browser
    if edition_id == "2022-1":  # the previous published edition is 2021-2 (synthetic 2022-1 follows it)
        assert "2021-2 → 2022-1" in (built / "extracted" / edition_id / "review.html").read_text(encoding="utf-8")


def test_index_page_renders_offline_and_links_the_review(built):
    dom = Dom(chromium_dom(built / "extracted" / "index.html"))
    assert_offline(dom, allow_relative=True)
    links = [a["href"] for t, a in dom.elements if t == "a"]
    assert "2021-2/review.html" in links and "2022-1/data_docs/index.html" in links
    for link in links:
        assert (built / "extracted" / link).is_file(), link


def test_html_diff_renders_offline(built):
    dom = Dom(chromium_dom(built / "diff.html"))
    assert_offline(dom)
    assert any(t == "table" for t, _ in dom.elements)


def test_data_docs_render_offline_with_status_and_without_banner(built):
    pages = sorted((built / "extracted" / "2021-2" / "data_docs").rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        text = chromium_dom(page)
        assert_offline(Dom(text), allow_relative=True)
        assert "Subscribe" not in text and "newsletter" not in text
    validation = next(p for p in pages if p.name == "edition-directions.html")
    text = chromium_dom(validation)
    statuses = re.findall(r'<i class="fas fa-[a-z-]+[^"]*"[^>]*>([^<]*)</i>', text)
    assert statuses and all(s.strip() == "✔" for s in statuses)  # passed checks show a mark, not a blank cell
