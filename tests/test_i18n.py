"""Chinese and English: every marked message has a Chinese translation, and every report renders in both."""

import json

import pytest
from click.testing import CliRunner
from conftest import EDITIONS

from pipeline.cli import app
from pipeline.i18n import catalog_path, default_lang, source_messages, translate, translations

runner = CliRunner()


def test_every_message_has_a_chinese_translation():
    """Babel's extractor over pipeline/ against the catalog: run `python -m pipeline.i18n` and translate."""
    from babel.messages.pofile import read_po

    with catalog_path("zh").open("rb") as handle:
        catalog = {m.id: m.string for m in read_po(handle) if m.id}
    missing = [m for m in source_messages() if not catalog.get(m)]
    assert not missing, "untranslated (add them to pipeline/locale/zh/LC_MESSAGES/guidelines.po):\n" + \
        "\n".join(missing)


def test_translations_keep_their_placeholders():
    import string

    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)  # noqa: E731
    for message in source_messages():
        assert fields(translate(message, "zh")) == fields(message), message


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


@pytest.fixture(scope="module")
def root(extracted, tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("i18n") / "extracted"
    for name, (_, out) in extracted.items():
        shutil.copytree(out, root / name.replace("synthetic-", ""))
    return root


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


def test_cli_summaries_in_both_languages(root):
    zh = runner.invoke(app, ["eligible", "2021-2", "--lead", "university", "--root", str(root), "--lang", "zh"])
    en = runner.invoke(app, ["eligible", "2021-2", "--lead", "university", "--root", str(root), "--lang", "en"])
    assert zh.output.startswith("可由高校牵头（university）：7 个方向")
    assert en.output.startswith("may be led by a 高校 (university): 7 direction(s)")
