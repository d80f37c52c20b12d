"""Chinese and English: every report and message in the language the reader asks for.

Messages are written in English in the code and translated with gettext. The Chinese
catalog is `pipeline/locale/zh/LC_MESSAGES/guidelines.po`, compiled by Babel in memory the
first time it is needed (nothing is downloaded, no .mo file to keep in step).

- In a renderer: `_ = translator(lang)`, then `_("Budget")`, `_("{n} direction(s)").format(n=3)`.
- A message defined now and shown later (an error raised deep in the code): mark it with
  `N_("…{path}…")` and pass its values as keywords, `raise BadEdition(N_("{path}: …"), path=p)`;
  the CLI translates it at the boundary (`GuidelineError.translated`).
- Adding a message: write it with `_()` or `N_()`, add its msgid and msgstr to the .po file
  (`pybabel extract -F babel.cfg -o /tmp/new.pot pipeline` lists every msgid), run the tests
  (tests/test_i18n.py fails on any msgid without a Chinese translation).

`--lang zh|en` chooses; the default comes from LANGUAGE / LC_ALL / LC_MESSAGES / LANG and is
zh when that names Chinese.

The catalog also holds click's own messages (`click_messages`: Usage, Options, "No such option" …,
plural forms included), which pipeline/cli/base.py routes here, so `--help` and usage errors
follow the same language; `python -m pipeline.i18n` adds them as it adds ours.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

DOMAIN = "guidelines"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGS = ("zh", "en")


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated where it is shown."""
    return message


def default_lang(environ=None) -> str:
    """zh when the environment's locale is Chinese (zh_CN.UTF-8, zh_TW …), else en."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of lang (English is the source language: no catalog)."""
    path = catalog_path(lang)
    if lang == "en" or not path.is_file():
        return gettext.NullTranslations()
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(lang: str | None = None) -> Callable[[str], str]:
    """The gettext function of lang (default: from the environment)."""
    return translations(lang or default_lang()).gettext


def translate(message: str, lang: str | None = None, **params) -> str:
    """message translated into lang, then its {placeholders} filled in."""
    text = translator(lang)(message)
    return text.format(**params) if params else text


def source_messages(package: Path | None = None) -> list[str]:
    """Every msgid marked _() or N_() in the package's Python files (Babel's extractor), in order."""
    from babel.messages.extract import extract_from_dir

    found: list[str] = []
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(package or Path(__file__).parent), method_map=[("**.py", "python")]):
        message = message[0] if isinstance(message, tuple) else message
        if message and message not in found:
            found.append(message)
    return found


# click's modules whose messages reach our users (help, usage errors), and a msgid click passes to gettext
# through a variable, which no extractor sees
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils")
CLICK_EXTRA = ("required",)


def click_messages() -> list[str | tuple[str, str]]:
    """Every msgid click's user-facing modules pass to gettext (a plural message as (singular, plural)), so that
    `--help` and usage errors are translated like our own messages (pipeline/cli/base.py routes them here)."""
    import click
    from babel.messages.extract import extract_from_file

    found: list = []
    for name in CLICK_MODULES:
        path = Path(click.__file__).with_name(f"{name}.py")
        for _line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords={"_": None, "gettext": None, "ngettext": (1, 2)}):
            if message and message not in found:
                found.append(message)
    return found + [m for m in CLICK_EXTRA if m not in found]


def update_catalog(lang: str = "zh") -> list[str]:
    """Bring the .po in step with the code (and click's messages): new msgids added untranslated, gone ones
    dropped, translations kept. Returns the msgids that still need a translation."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = catalog_path(lang)
    old = {}
    if path.is_file():
        with path.open("rb") as handle:
            old = {m.id: m.string for m in read_po(handle, locale=lang) if m.id}
    from datetime import datetime, timezone

    stamp = datetime(2026, 1, 1, tzinfo=timezone.utc)  # a fixed date: the file changes only when messages do
    catalog = Catalog(locale=lang, domain=DOMAIN, project="guidelines", charset="utf-8", creation_date=stamp,
                      revision_date=stamp, fuzzy=False)
    for message in source_messages() + click_messages():
        catalog.add(message, old.get(message, ("",) if isinstance(message, tuple) else ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=True)
    translations.cache_clear()
    return [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]


class Message:
    """A message shown later, in the reader's language: an N_() template and its values (a value may be a
    Message too). str() is the English; `translated(lang)` translates it and its parts."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params

    def __str__(self) -> str:
        return self.template.format(**self.params)

    def translated(self, lang: str | None = None) -> str:
        return translate(self.template, lang, **{k: v.translated(lang) if isinstance(v, Message) else v
                                                 for k, v in self.params.items()})


if __name__ == "__main__":  # python -m pipeline.i18n: update the Chinese catalog, list what needs translating
    for missing in update_catalog("zh"):
        print(f"untranslated: {missing}")
