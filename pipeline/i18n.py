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
