"""Chinese and English: every report and message in the language the reader asks for.

Messages are written in English in the code and translated with gettext. The Chinese
catalogs are compiled by Babel in memory the first time they are needed (nothing is
downloaded, no .mo file to keep in step):

- `pipeline/locale/zh/LC_MESSAGES/guidelines.po`: the library's messages (reports, summaries,
  errors, what a stage prints). The DVC stages depend on this file;
- `pipeline/locale/zh/LC_MESSAGES/cli.po`: what only the `guidelines` command shows (the help
  texts and messages in pipeline/cli/, and click's own words). No stage reads it, so
  rewording and translating a help text re-runs nothing. The CLI falls back to the
  library's catalog for everything else.

- In a renderer: `_ = translator(lang)`, then `_("Budget")`, `_("{n} direction(s)").format(n=3)`.
- A message defined now and shown later (an error raised deep in the code): mark it with
  `N_("…{path}…")` and pass its values as keywords, `raise BadEdition(N_("{path}: …"), path=p)`;
  the CLI translates it at the boundary (`GuidelineError.translated`).
- Adding a message: write it with `_()` or `N_()`, run `python -m pipeline.i18n` (it adds the
  msgid to the catalog of its domain and lists what is untranslated), write its msgstr, run the
  tests (tests/test_i18n.py fails on any msgid without a Chinese translation).

`--lang zh|en` chooses; the default comes from LANGUAGE / LC_ALL / LC_MESSAGES / LANG and is
zh when that names Chinese.

The CLI's catalog also holds click's own messages (`click_messages`: Usage, Options, "No such
option" …, plural forms included), which pipeline/cli/base.py routes there, so `--help` and usage
errors follow the same language; `python -m pipeline.i18n` adds them as it adds ours.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

DOMAIN = "guidelines"  # the library's messages: a dependency of every DVC stage
CLI_DOMAIN = "cli"  # the `guidelines` command's own: help texts, its messages, click's words (no stage reads it)
DOMAINS = (DOMAIN, CLI_DOMAIN)
CLI_PACKAGE = "cli"  # the subpackage of pipeline/ whose messages are the CLI's
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


def catalog_path(lang: str, domain: str = DOMAIN) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def _compiled(lang: str, domain: str) -> gettext.NullTranslations:
    path = catalog_path(lang, domain)
    if lang == "en" or not path.is_file():
        return gettext.NullTranslations()
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=domain)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=None)
def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of lang (English is the source language: no catalog). The CLI's catalog falls back
    to the library's, so the command shows both its own words and the library's messages."""
    compiled = _compiled(lang, domain)
    if domain != DOMAIN:
        compiled.add_fallback(translations(lang, DOMAIN))
    return compiled


def translator(lang: str | None = None) -> Callable[[str], str]:
    """The gettext function of lang (default: from the environment)."""
    return translations(lang or default_lang()).gettext


def translate(message: str, lang: str | None = None, **params) -> str:
    """message translated into lang, then its {placeholders} filled in."""
    text = translator(lang)(message)
    return text.format(**params) if params else text


def source_messages(package: Path | None = None, skip: str | None = None) -> list[str]:
    """Every msgid marked _() or N_() in the package's Python files (Babel's extractor), in order; with skip,
    none from that subpackage."""
    from babel.messages.extract import extract_from_dir

    found: list[str] = []
    method_map = ([(f"{skip}/**.py", "ignore")] if skip else []) + [("**.py", "python")]
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(package or Path(__file__).parent), method_map=method_map):
        message = message[0] if isinstance(message, tuple) else message
        if message and message not in found:
            found.append(message)
    return found


def domain_messages() -> dict[str, list]:
    """The msgids of each catalog: the library's (every package but the CLI), and the CLI's (its own and click's,
    less those the library's catalog already holds)."""
    library = source_messages(skip=CLI_PACKAGE)
    own = source_messages(Path(__file__).with_name(CLI_PACKAGE)) + click_messages()
    return {DOMAIN: library, CLI_DOMAIN: [m for m in dict.fromkeys(own) if m not in library]}


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
    """Bring the .po files in step with the code (and click's messages): new msgids added untranslated to the
    catalog of their domain, gone ones dropped, translations kept (also of a msgid that moved from one catalog
    to the other). A catalog whose messages did not change is not rewritten. Returns the msgids that still
    need a translation."""
    from datetime import datetime, timezone
    from io import BytesIO

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    old = {}
    for domain in DOMAINS:
        if catalog_path(lang, domain).is_file():
            with catalog_path(lang, domain).open("rb") as handle:
                old.update({m.id: m.string for m in read_po(handle, locale=lang) if m.id and m.string})
    stamp = datetime(2026, 1, 1, tzinfo=timezone.utc)  # a fixed date: the file changes only when messages do
    missing = []
    for domain, messages in domain_messages().items():
        catalog = Catalog(locale=lang, domain=domain, project="guidelines", charset="utf-8", creation_date=stamp,
                          revision_date=stamp, fuzzy=False)
        for message in messages:
            catalog.add(message, old.get(message, ("",) if isinstance(message, tuple) else ""))
        buffer = BytesIO()
        write_po(buffer, catalog, width=0, omit_header=False, sort_output=True)
        path = catalog_path(lang, domain)
        if not path.is_file() or path.read_bytes() != buffer.getvalue():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(buffer.getvalue())
        missing += [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    translations.cache_clear()
    return missing


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


if __name__ == "__main__":  # python -m pipeline.i18n: update the Chinese catalogs, list what needs translating
    for missing in update_catalog("zh"):
        print(f"untranslated: {missing}")
