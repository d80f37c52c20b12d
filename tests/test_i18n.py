"""Chinese and English: every marked message has a Chinese translation, and every report renders in both."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EDITIONS

from pipeline.cli import app
from pipeline.cli.build import EXTRACT_HELP
from pipeline.i18n import (CLI_DOMAIN, DOMAIN, catalog_path, click_messages, default_lang, domain_messages, source_messages,
                           translate, translations)
from pipeline.review import page as review_module
from pipeline.review.page import review_html

runner = CliRunner()


@pytest.fixture(scope="module")
def messages():
    """Each catalog's msgids as the code has them (Babel's extractor over pipeline/ takes about a second)."""
    return domain_messages()


def read_catalog(domain: str) -> dict:
    from babel.messages.pofile import read_po

    with catalog_path("zh", domain).open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def test_every_message_has_a_chinese_translation(messages):
    """Babel's extractor over pipeline/ (and click's user-facing modules: help and usage errors) against the
    catalog of each message's domain: run `python -m pipeline.i18n` and translate."""
    missing = []
    for domain, msgids in messages.items():
        catalog = read_catalog(domain)
        missing += [f"{catalog_path('zh', domain).name}: {m}" for m in msgids
                    if not (all(catalog.get(m) or ()) if isinstance(m, tuple) else catalog.get(m))]
    assert not missing, "untranslated (run `python -m pipeline.i18n`, then write their msgstr):\n" + "\n".join(missing)


def test_the_stages_catalog_holds_no_cli_message(messages):
    """The DVC stages depend on guidelines.po only: the CLI's help texts and click's words are in cli.po, so
    translating a help text changes nothing a stage depends on. Each catalog holds exactly its domain's
    msgids, and no msgid is in both."""
    library, cli = read_catalog(DOMAIN), read_catalog(CLI_DOMAIN)
    assert set(library) == set(messages[DOMAIN])
    assert set(cli) == set(messages[CLI_DOMAIN])
    assert not set(library) & set(cli)
    assert EXTRACT_HELP in cli and "Usage:" in cli and "Show this message and exit." in cli
    assert "error: {message}" in library  # the error line, which a stage prints too


def test_the_cli_shows_the_librarys_messages_too():
    assert translations("zh", CLI_DOMAIN).gettext("Budget") == "经费"  # from guidelines.po
    assert translations("zh", CLI_DOMAIN).gettext("Usage:") != "Usage:"  # from cli.po
    assert translations("zh").gettext("Usage:") == "Usage:"  # a stage never sees the CLI's catalog


def test_updating_the_catalogs_moves_a_message_to_its_domain_and_keeps_its_translation(tmp_path, monkeypatch,
                                                                                       messages):
    """`python -m pipeline.i18n` on catalogs in step rewrites nothing; a CLI help text found in the library's
    catalog (as after a merge of the older single catalog) moves to cli.po with its translation."""
    import shutil

    from pipeline import i18n

    zh = tmp_path / "zh" / "LC_MESSAGES"
    zh.mkdir(parents=True)
    for domain in (DOMAIN, CLI_DOMAIN):
        shutil.copy(catalog_path("zh", domain), zh)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "domain_messages", lambda: messages)
    try:
        before = {p.name: p.read_bytes() for p in zh.iterdir()}
        assert i18n.update_catalog("zh") == []
        assert {p.name: p.read_bytes() for p in zh.iterdir()} == before
        translated = read_catalog(CLI_DOMAIN)[EXTRACT_HELP]
        cli_po = zh / "cli.po"
        text = cli_po.read_text(encoding="utf-8")
        start = text.rindex("\n\nmsgid", 0, text.index('"Extract the guideline in a PDF')) + 2
        entry = text[start:text.index("\n\n", start) + 2]
        cli_po.write_text(text.replace(entry, ""), encoding="utf-8")
        with (zh / "guidelines.po").open("a", encoding="utf-8") as handle:
            handle.write("\n" + entry)
        assert EXTRACT_HELP not in read_catalog(CLI_DOMAIN) and EXTRACT_HELP in read_catalog(DOMAIN)
        assert i18n.update_catalog("zh") == []
        assert read_catalog(CLI_DOMAIN)[EXTRACT_HELP] == translated
        assert EXTRACT_HELP not in read_catalog(DOMAIN)
        assert {p.name: p.read_bytes() for p in zh.iterdir()} == before
    finally:
        monkeypatch.undo()
        translations.cache_clear()


def test_translations_keep_their_placeholders():
    import string

    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)  # noqa: E731
    cli = translations("zh", CLI_DOMAIN)
    for message in source_messages():
        assert fields(cli.gettext(message)) == fields(message), message
    for message in click_messages():  # click fills in the fields of both forms of a plural message
        if isinstance(message, tuple):
            assert set(fields(cli.ngettext(*message, 2))) <= set(fields(message[0]) + fields(message[1]))
        else:
            assert fields(cli.gettext(message)) == fields(message), message


def test_the_checker_sees_a_missing_translation(tmp_path):
    (tmp_path / "mod.py").write_text('from pipeline.i18n import N_\nX = N_("a message nobody translated")\n')
    assert "a message nobody translated" in source_messages(tmp_path)
    assert translate("a message nobody translated", "zh") == "a message nobody translated"


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"), ({}, "en"), ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
])
def test_default_language_follows_the_locale(environ, lang):
    assert default_lang(environ) == lang


def test_catalog_is_compiled_in_memory():
    assert translations("zh").gettext("Budget") == "经费"
    assert translations("en").gettext("Budget") == "Budget"


def test_errors_are_translated_at_the_boundary(tmp_path):
    missing = tmp_path / "nope.pdf"
    zh = runner.invoke(app, ["extract", str(missing), "--lang", "zh"])
    en = runner.invoke(app, ["extract", str(missing), "--lang", "en"])
    assert zh.exit_code == en.exit_code == 3
    assert zh.output.startswith("错误：") and "文件不存在" in zh.output and str(missing) in zh.output
    assert en.output.startswith("error: ") and "no such file" in en.output


def test_language_from_the_environment(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.pdf")], env={"LANG": "zh_CN.UTF-8",
                                                                             "LANGUAGE": "", "LC_ALL": ""})
    assert "文件不存在" in result.output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_diff_renders_in_both_languages(root, fmt):
    zh = runner.invoke(app, ["diff", "2021-2", "2022-1", "--root", str(root), "--format", fmt, "--lang", "zh"])
    en = runner.invoke(app, ["diff", "2021-2", "2022-1", "--root", str(root), "--format", fmt, "--lang", "en"])
    assert zh.exit_code == en.exit_code == 0
    assert "新增方向" in zh.output and "联系人 Sune Dalgaard Ebbesen：电话 +4561905030 → +4561905031" in zh.output
    assert "Directions added" in en.output and "Contact Sune Dalgaard Ebbesen: phone +4561905030 → +4561905031" \
        in en.output
    assert "Directions added" not in zh.output and "新增方向" not in en.output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_partner_and_search_render_in_both_languages(root, fmt):
    zh = runner.invoke(app, ["partner", "DK", "--root", str(root), "--format", fmt, "--lang", "zh"])
    en = runner.invoke(app, ["partner", "DK", "--root", str(root), "--format", fmt, "--lang", "en"])
    assert "合作方 DK 丹麦：2 个批次" in zh.output and "Partner DK 丹麦: 2 edition(s)" in en.output
    zh = runner.invoke(app, ["search", "CCUS", "--root", str(root), "--format", fmt, "--lang", "zh"])
    en = runner.invoke(app, ["search", "CCUS", "--root", str(root), "--format", fmt, "--lang", "en"])
    assert "搜索“CCUS”：2 个方向" in zh.output and "Search “CCUS”: 2 direction(s)" in en.output


def test_index_page_in_both_languages(tmp_path):
    from pipeline.publish.index import index_html

    rows = [{"id": "2021-2", "status": "published", "failed_checks": [], "counts": "18 passed, 0 skipped"}]
    assert "各批次数据质量" in index_html(rows, "", "zh") and "已发布" in index_html(rows, "", "zh")
    assert "Edition quality" in index_html(rows, "", "en")
    assert ">审核页</a>" in index_html(rows, "", "zh") and ">review</a>" in index_html(rows, "", "en")


def test_cli_summaries_in_both_languages(root):
    zh = runner.invoke(app, ["eligible", "2021-2", "--lead", "university", "--root", str(root), "--lang", "zh"])
    en = runner.invoke(app, ["eligible", "2021-2", "--lead", "university", "--root", str(root), "--lang", "en"])
    assert zh.output.startswith("可由高校牵头（university）：7 个方向")
    assert en.output.startswith("may be led by a 高校 (university): 7 direction(s)")


class VisibleText(HTMLParser):
    """What a reader of a page sees: its text and its alt/title attributes (no stylesheet, no chart)."""

    def __init__(self, page: str):
        super().__init__()
        self.parts, self.hidden = [], 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "svg")
        self.parts += [value for name, value in attrs if name in ("alt", "title") and value]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "svg")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())

    def __str__(self):
        return "\n".join(self.parts)


def english_words(module: Path) -> list[str]:
    """The English words of every message marked in module, its {placeholders} left out: '{n} requirements' →
    'requirements'. None of them may show on a page in Chinese."""
    import string

    from babel.messages.extract import extract_from_file

    words = set()
    for _line, message, _comments, _context in extract_from_file("python", str(module)):
        for literal, *_ in string.Formatter().parse(message):
            literal = literal.strip(" :;,.()…")
            if re.search(r"[A-Za-z]{2,}", literal):
                words.add(literal)
    return sorted(words)


def shown(words: list[str], page: str) -> list[str]:
    text = str(VisibleText(page))
    return [w for w in words if re.search(r"(?<![A-Za-z])" + re.escape(w) + r"(?![A-Za-z])", text)]


REVIEW_WORDS = english_words(Path(review_module.__file__))


def test_review_page_in_both_languages(root, tmp_path):
    """`guidelines review --lang` wins over LANG; the Chinese page shows none of the page's English."""
    pages = {}
    for lang, env_lang in (("zh", "en_US.UTF-8"), ("en", "zh_CN.UTF-8")):
        out = tmp_path / f"{lang}.html"
        result = runner.invoke(app, ["review", "2021-2", "--root", str(root), "--pdf", str(EDITIONS["2021-2"][0]),
                                     "--published", str(tmp_path / "none"), "--out", str(out), "--lang", lang],
                               env={"LANG": env_lang, "LANGUAGE": "", "LC_ALL": ""})
        assert result.exit_code == 0, result.output
        pages[lang] = out.read_text(encoding="utf-8")
        assert result.output.startswith({"zh": "已写入 ", "en": "wrote "}[lang])
    zh, en = pages["zh"], pages["en"]
    assert zh.startswith("<!doctype html><html lang=zh-CN>") and en.startswith("<!doctype html><html lang=en>")
    for heading in ("<title>审核 2021-2</title>", "<h1>批次 2021-2 审核</h1>", "<h3>总述所列总量与各方向合计对照</h3>",
                    "<th>总述所列</th>", "<h3>各方向经费</h3>", "<h3>各合作方经费</h3>", "<h3>与上一批次相比的变化</h3>",
                    "<h2>各指南方向逐项核对</h2>", '<div class="label">经费</div>', '<div class="label">合作方</div>',
                    "尚未校验：请运行 <code>guidelines validate</code>", "<td>项目数下限</td>", "没有可供对比的上一批次"):
        assert heading in zh, heading
    for heading in ("<title>Review 2021-2</title>", "<h1>Review of edition 2021-2</h1>",
                    "<h3>Preamble totals vs the directions</h3>", "<h3>Budget per direction</h3>",
                    "<h2>Directions, value by value</h2>", '<div class="label">Budget</div>',
                    "not validated yet: run <code>guidelines validate</code>", "<td>Projects, lowest</td>"):
        assert heading in en, heading
    assert re.search(r"<summary>\d+ 条要求</summary>", zh) and re.search(r"<summary>\d+ requirements</summary>", en)
    assert re.search(r"<figcaption>第 \d+ 页</figcaption>", zh) and re.search(r"<figcaption>page \d+</figcaption>", en)
    assert shown(REVIEW_WORDS, zh) == []
    assert {"Budget per direction", "Title", "Partner", "Budget", "pages"} <= set(shown(REVIEW_WORDS, en))
    # the same page otherwise: the same cards, values and crops
    structure = lambda page: re.findall(r'data-(?:direction|path|page)="[^"]*"', page)  # noqa: E731
    assert structure(zh) == structure(en) and len(structure(zh)) > 50


def test_review_page_checks_corrections_and_changes_in_chinese(extracted):
    """Everything the top of the page can say, in Chinese; what the files record (check names, reasons) as is."""
    from pipeline.records.corrections import apply_corrections, read_entries

    edition = json.loads((extracted["2021-2"][1] / "edition.json").read_text(encoding="utf-8"))
    previous = json.loads((extracted["synthetic-2022-1"][1] / "edition.json").read_text(encoding="utf-8"))
    report = {"status": "failed", "summary": {"checks": 2, "passed": 1, "failed": 1, "skipped": 0},
              "checks": [{"name": "budgets are positive", "status": "failed", "where": ["1.5", "1.6"],
                          "message": "budgets 0 万元 are not positive"},
                         {"name": "direction ids are unique", "status": "passed", "where": []}],
              "warnings": [{"rule": "r", "direction": "1.1", "path": "contacts[0].email", "message": "odd e-mail"},
                           {"rule": "r", "direction": None, "path": None, "message": "totals differ"}]}
    fixed = apply_corrections(edition, read_entries(
        '- direction: "1.5"\n  path: budget_cny\n  was: 20000000\n  value: 21000000\n  reason: misread\n', "f"), "f")
    fixed["directions"][0]["project_count"]["approximate"] = True
    fixed["directions"][0]["contacts"][0]["name"] = None
    pages = {lang: review_html(fixed, None, report, (previous, "synthetic 2022-1"), lang=lang) for lang in ("zh", "en")}
    zh, en = pages["zh"], pages["en"]
    for text in ('检查：<span class="failed">未通过</span>（1 项通过，1 项未通过，0 项跳过）', "全部 2 项检查",
                 "需人工核对", "需人工核对：odd e-mail", "批次 : totals differ", "人工更正（1 处）",
                 "已更正 budget_cny：20000000 → 21000000（misread）", '<span class="badge failed">检查未通过</span>',
                 ">已更正</span>", "未找到源 PDF", "<code>--pdf</code>", "<td>新增 / 删除方向</td>", "（约）", "（无姓名）",
                 "✗ budgets are positive: budgets 0 万元 are not positive"):
        assert text in zh, text
    for text in ('Checks: <span class="failed">failed</span> (1 passed, 1 failed, 0 skipped)', "all 2 checks",
                 "needs review: odd e-mail", "Corrected by a person (1)", "corrected budget_cny: 20000000 → 21000000",
                 "The source PDF was not found", "<td>Directions added / removed</td>", " (approx.)", "(no name)"):
        assert text in en, text
    assert shown(REVIEW_WORDS, zh) == []


def test_the_english_words_check_sees_an_untranslated_string():
    assert shown(["Budget per direction"], "<h3>Budget per direction</h3>") == ["Budget per direction"]
    assert shown(["page"], "<p>pages</p><img alt='page 3'>") == ["page"]
    assert shown(["Title"], "<style>.Title{}</style><svg><text>Title</text></svg>") == []


# 1.5 (Denmark) states 2000 万元 and the preamble 2.578 亿元 (read from the document)
FIX = '- direction: "1.5"\n  path: budget_cny\n  was: 20000000\n  value: 21000000\n  reason: budget misread\n'


@pytest.mark.parametrize("text, english, chinese", [
    (FIX.replace("was: 20000000", "was: 19000000"),
     "f.yaml:3: entry 1 (direction 1.5, budget_cny) is stale: the extraction now gives 20000000, not was: 19000000",
     "f.yaml:3：第 1 条（方向 1.5，budget_cny）已过时：现在的提取结果是 20000000，而不是 was: 19000000；请核对该值"),
    (FIX.replace('"1.5"', '"1.9"'), "f.yaml:1: entry 1 (direction 1.9, budget_cny): no direction 1.9 in edition 2021-2",
     "f.yaml:1：第 1 条（方向 1.9，budget_cny）：批次 2021-2 中没有方向 1.9（现有 1.1, 1.2"),
    (FIX.replace("path: budget_cny", "path: budget"), "f.yaml:2: entry 1 (direction 1.5, budget): budget is not a "
     "field of the record", "f.yaml:2：第 1 条（方向 1.5，budget）：budget 不是该记录的字段"),
    (FIX.replace("path: budget_cny", "path: contacts[9].name"), "contacts[9] does not exist (contacts has",
     "f.yaml:2：第 1 条（方向 1.5，contacts[9].name）：contacts[9] 不存在（contacts 共"),
    (FIX.replace("value: 21000000", 'value: "2100 万元"'), "f.yaml:4: entry 1 (direction 1.5, budget_cny): value "
     "'2100 万元' does not fit budget_cny", "f.yaml:4：第 1 条（方向 1.5，budget_cny）：值 '2100 万元' 不符合 budget_cny"),
    (FIX.replace("path: budget_cny", "path: id"), "id ties the record to its source and cannot be corrected",
     "f.yaml:2：第 1 条（方向 1.5，id）：id 将记录与其来源关联，不能更正"),
    (FIX.replace('- direction: "1.5"', "- edition: true").replace("was: 20000000", "was: 1"),
     "f.yaml:3: entry 1 (edition, budget_cny) is stale", "f.yaml:3：第 1 条（批次，budget_cny）已过时"),
    (FIX.replace("  reason: budget misread\n", ""), "f.yaml:1: entry 1 lacks reason", "f.yaml:1：第 1 条缺少 reason"),
    (FIX.replace("  value: 21000000\n", "  value: [21000000\n"), "f.yaml:5: YAML syntax error",
     "f.yaml:5：YAML 语法错误"),
    ("direction: 1.5\n", "f.yaml:1: a corrections file is a list of entries", "f.yaml:1：更正文件应是条目列表"),
])
def test_corrections_errors_in_both_languages(extracted, text, english, chinese):
    """A corrections error is made of parts (the entry, the problem): each is translated, the English kept as it was."""
    from pipeline.errors import BadCorrections
    from pipeline.records.corrections import apply_corrections, read_entries

    edition = json.loads((extracted["2021-2"][1] / "edition.json").read_text(encoding="utf-8"))
    with pytest.raises(BadCorrections) as caught:
        apply_corrections(edition, read_entries(text, "f.yaml"), "f.yaml")
    assert english in caught.value.message and english in caught.value.translated("en")
    assert chinese in caught.value.translated("zh"), caught.value.translated("zh")
    assert "entry" not in caught.value.translated("zh") and "\n" not in caught.value.translated("zh")


def test_corrections_summaries_and_errors_at_the_cli(tmp_path, extracted):
    import shutil

    corrections = tmp_path / "corrections"
    corrections.mkdir()
    (corrections / "2021-2.yaml").write_text(FIX, encoding="utf-8")
    args = ["extract", str(EDITIONS["2021-2"][0]), "--edition", "2021-2", "--corrections", str(corrections)]
    zh = runner.invoke(app, args + ["--out", str(tmp_path / "zh"), "--lang", "zh"])
    en = runner.invoke(app, args + ["--out", str(tmp_path / "en"), "--lang", "en"])
    assert zh.exit_code == en.exit_code == 0
    assert "已应用 1 处更正" in zh.stderr and "1 correction(s) applied" in en.stderr
    (corrections / "2021-2.yaml").write_text(FIX.replace("was: 20000000", "was: 1"), encoding="utf-8")
    zh = runner.invoke(app, args + ["--out", str(tmp_path / "stale"), "--lang", "zh"])
    assert zh.exit_code == 16 and not (tmp_path / "stale").exists()
    assert zh.stderr == f"错误：{corrections / '2021-2.yaml'}:3：第 1 条（方向 1.5，budget_cny）已过时：现在的提取结果是 " \
                        "20000000，而不是 was: 1；请核对该值，更新或删除这一条\n"

    shutil.copytree(extracted["2021-2"][1], tmp_path / "extracted" / "2021-2")
    fresh = tmp_path / "fresh"
    correct = ["correct", "2021-2", "--root", str(tmp_path / "extracted"), "--corrections", str(fresh)]
    zh = runner.invoke(app, correct + ["--direction", "1.5", "--path", "budget_cny", "--value", "21000000",
                                       "--reason", "misread", "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert zh.output == f"{fresh / '2021-2.yaml'}：第 1 条（方向 1.5，budget_cny）：20000000 → 21000000；" \
                        "运行 `dvc repro` 即可应用\n"
    for extra, chinese in ((["--direction", "1.5", "--path", "budget_cny", "--value", "3", "--reason", "r"],
                            "：第 2 条（方向 1.5，budget_cny）：同一个值已由第 1 条更正；每个值只保留一条"),
                           (["--edition-level", "--path", "budget_cny", "--value", "257800000", "--reason", "r"],
                            "budget_cny 已经是 257800000；无需更正"),
                           (["--direction", "2.1", "--path", "title", "--value", "x", "--reason", "r"],
                            "批次 2021-2 中没有方向 2.1"),
                           (["--direction", "1.5", "--path", "contacts[7].name", "--value", "x", "--reason", "r"],
                            "方向 1.5：contacts[7] 不存在"),
                           (["--direction", "1.5", "--path", "title", "--value", "x", "--reason", " "],
                            "请给出 --reason")):
        result = runner.invoke(app, correct + extra + ["--lang", "zh"])
        assert result.exit_code == 16 and result.stderr.startswith("错误：") and chinese in result.stderr, result.output
    from pipeline.errors import BadCorrections
    from pipeline.records.corrections import apply_corrections, new_entry, read_entries

    edition = json.loads((extracted["2021-2"][1] / "edition.json").read_text(encoding="utf-8"))
    with pytest.raises(BadCorrections) as caught:  # once extracted with the file, the value is corrected
        new_entry(apply_corrections(edition, read_entries(FIX, "f"), "f"), "1.5", "budget_cny", "3", "r")
    assert caught.value.translated("zh") == "budget_cny 已有更正（改为 21000000）；请直接编辑更正文件中的那一条"
    usage = runner.invoke(app, correct + ["--path", "title", "--value", "x", "--reason", "r", "--lang", "zh"])
    assert usage.exit_code == 2 and "请给出 --direction ID 或 --edition-level" in usage.output


def test_no_marked_message_hides_in_an_f_string():
    """Babel's extractor does not look inside f-strings (Python < 3.12): a _() there would never reach the catalog,
    and the test above would not notice."""
    import ast

    import pipeline

    hidden = []
    for path in sorted(Path(pipeline.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.name}:{call.lineno} {ast.unparse(call)}" for call in ast.walk(node)
                           if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                           and call.func.id in ("_", "N_")]
    assert not hidden, hidden
