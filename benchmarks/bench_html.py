"""Which way of finding a web page's article to use: measured on the fixture builder's reposts.

For each repost (tests/fixtures/packagings.py: university CMS, table-layout portal, WeChat-style
page, news post with an ad, comments and a sidebar; the university page also with ruled label │
value tables; around the 2021-2 text, the synthetic 2022-1 text and the larger constructed edition), each
candidate finds the article and its paragraphs go through the same structure and records
stages; the shared scorer compares the edition with the hand-written gold facts. Also counted:
the guideline's paragraphs recovered whole (recall), the page furniture that leaked into the
paragraphs (menu items, breadcrumbs, share buttons, footers with the site's phone and e-mail),
and the seconds per page.

Candidates: `lxml rules` (pipeline/reading/html.py: furniture by tag and class, then the child
holding most text outside links), `trafilatura` (2.x, `extract`, tables on, text out),
`readability-lxml` (`Document.summary`, then the same paragraph walk as ours, so only the body
finding differs). Those not installed are skipped.

    python benchmarks/bench_html.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
import packagings as packaging  # noqa: E402

FURNITURE = ["400-800-8888", "13800138000", "news@example.com", "国际合作新闻网", "热门文章", "首页", "机构设置", "当前位置", "分享到", "上一篇", "下一篇", "版权所有", "kjc@example.edu.cn",
             "010-62751234", "网站首页", "您现在的位置", "主办单位", "kjt@example.gov.cn", "0571-87054321",
             "阅读原文", "微信扫一扫", "长按识别", "栏目导航", "点击数", "科研项目", "成果奖励", "下载中心"]


def editions():
    out = []
    for name, folder, stem in (("2021-2", "2021-2", "2021-2"), ("2022-1 (synthetic)", "synthetic-2022-1", "2022-1")):
        base = ROOT / "tests" / "fixtures" / folder
        out.append((name, build.read_styled((base / f"{stem}.txt").read_text(encoding="utf-8")),
                    json.loads((base / f"{stem}.gold.json").read_text(encoding="utf-8"))))
    large = packaging.large_edition((out[0][1], out[0][2]), (out[1][1], out[1][2]))
    out.append(("large (constructed)", *large))
    return out


def ours(page: str) -> list[str]:
    from pipeline.reading.html import page_to_paragraphs, parse_page

    return [p.text for p in page_to_paragraphs(parse_page(page))[0]]


def with_trafilatura(page: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(page, include_tables=True, include_comments=False, include_links=False,
                               include_images=False, deduplicate=False, favor_recall=True) or ""
    return [line for line in text.splitlines() if line.strip()]


def with_readability(page: str) -> list[str]:
    from readability import Document

    from pipeline.reading.html import _Reader, parse_page

    fragment = parse_page("<html><body>" + Document(page).summary(html_partial=True) + "</body></html>")
    reader = _Reader({})
    reader.block(fragment.find(".//body"))
    return [p.text for p in reader.out]


CANDIDATES = {"lxml rules": ours, "trafilatura": with_trafilatura, "readability-lxml": with_readability}


def f1(texts: list[str], gold: dict, tmp: Path) -> float:
    import subprocess

    from pipeline.extract import Stages  # noqa: F401  (the package, as extract runs it)
    from pipeline.records.plain import SourceFile
    from pipeline.records.build import tree_to_edition
    from pipeline.records.partners import find_partner
    from pipeline.structure.outline import paragraphs_to_tree
    from pipeline.structure.paragraphs import texts_to_paragraphs
    from pipeline.structure.segments import paragraphs_to_segments

    paragraphs = texts_to_paragraphs([(i, t, None) for i, t in enumerate(texts)])
    ours_ = [s for s in paragraphs_to_segments(paragraphs) if s.ours]
    if not ours_:
        return 0.0
    s = ours_[0]
    tree = paragraphs_to_tree(paragraphs[s.start:s.end], names_partner=lambda t: find_partner(t) is not None)
    edition = tree_to_edition(tree, SourceFile(path="x", sha256="0" * 64, pages=None, format="html"))
    pred, gold_file = tmp / "pred.json", tmp / "gold.json"
    pred.write_text(json.dumps(edition.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    line = subprocess.run([sys.executable, str(ROOT / "tests" / "fixtures" / "score_edition.py"), str(gold_file),
                           str(pred)], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"f1=([\d.]+)", line).group(1))


ITEM_NUMBER = re.compile(r"^\s*(?:[（(]\d{1,2}[)）]|\d{1,2}\.)\s*")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def main() -> None:
    import tempfile

    available = {}
    for name, fn in CANDIDATES.items():
        try:
            fn("<html><body><p>x</p></body></html>")
            available[name] = fn
        except ImportError:
            print(f"{name}: not installed, skipped")
    rows = {name: [] for name in available}
    with tempfile.TemporaryDirectory() as tmp:
        for edition, styled, gold in editions():
            for template, tables in [(t, False) for t in packaging.TEMPLATES] + [("university", True)]:
                shown = packaging.with_ruled_tables(styled) if tables else styled
                # compared without the item numbers (an <ol> prints 1. where the text has (1))
                reference = [squeeze(ITEM_NUMBER.sub("", t.replace("\t", "：")))
                             for s, t in shown if s != "attach"]
                page = packaging.html_repost(shown, template)
                for name, fn in available.items():
                    start = time.perf_counter()
                    texts = fn(page)
                    seconds = time.perf_counter() - start
                    joined = "\n".join(squeeze(ITEM_NUMBER.sub("", t)) for t in texts)
                    recall = sum(1 for r in reference if r in joined) / len(reference)
                    leaked = sum(1 for f in FURNITURE if f in joined)
                    label = template + (" + ruled tables" if tables else "")
                    rows[name].append((edition, label, f1(texts, gold, Path(tmp)), recall, leaked, seconds))
    print("| finder | page | F1 | paragraphs recovered | furniture leaked | s/page |")
    print("|---|---|---|---|---|---|")
    for name, results in rows.items():
        for edition, template, score, recall, leaked, seconds in results:
            print(f"| {name} | {edition} {template} | {score:.3f} | {recall:.1%} | {leaked} | {seconds:.3f} |")
    print()
    print("| finder | mean F1 | worst F1 | mean recovered | furniture leaked (total) | mean s/page |")
    print("|---|---|---|---|---|---|")
    for name, results in rows.items():
        n = len(results)
        print(f"| {name} | {sum(r[2] for r in results) / n:.3f} | {min(r[2] for r in results):.3f} | "
              f"{sum(r[3] for r in results) / n:.1%} | {sum(r[4] for r in results)} | "
              f"{sum(r[5] for r in results) / n:.3f} |")


if __name__ == "__main__":
    main()
