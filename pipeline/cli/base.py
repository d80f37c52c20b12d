"""What every command shares: the group and its one error handler, help in the reader's language, options.

- `Guidelines` (the group) runs every command inside `console.guarded()`: one line and an exit
  code for every error (a usage error included), no traceback, and all output through the one
  writer. `--lang` is read before anything is parsed, so help and usage errors are in that
  language too.
- Help texts are English msgids (`N_()`), translated when help is shown; click's own words
  (Usage, Options, "No such option" …) go through the same catalog, via the gettext functions
  click's modules call. That catalog is the CLI's own (pipeline/locale/zh/LC_MESSAGES/cli.po,
  falling back to the library's), which no DVC stage depends on.
- Default locations come from the project root (`pipeline.project`), never from the current folder.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from .. import console
from ..errors import Interrupted
from ..i18n import CLI_DOMAIN, LANGS, N_, default_lang, translations
from ..project import default_path


def _(message: str) -> str:
    """A message of the CLI in the language of the running command (the CLI's catalog, then the library's)."""
    return translations(console.current_lang() or default_lang(), CLI_DOMAIN).gettext(message)


# --- click's own messages through our catalog --------------------------------------------------------

_click_gettext = _


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(console.current_lang() or default_lang(), CLI_DOMAIN).ngettext(singular, plural, n)


def translate_click() -> None:
    """Point the gettext functions click's modules bound at import (`from gettext import gettext as _`) at
    our catalog, in the language of the running command (the CLI's catalog holds click's msgids too)."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext


translate_click()


# --- commands and options whose help is translated ----------------------------------------------------

def _translated(text: str | None) -> str | None:
    return _(text) if text else text


class Option(click.Option):
    """An option whose help is a msgid, translated when shown (its metavars stay as click spells them: PATH)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.metavar is None and isinstance(self.type, click.Path):
            self.metavar = "PATH"  # click names the type in the reader's language; a metavar is a placeholder

    def get_help_record(self, ctx):
        original = self.help
        self.help = _translated(original)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = original


class TranslatedHelp:
    """A command (or the group) whose help is a msgid, translated when shown."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:  # click makes it once and keeps it: its words in the language of this run
            option.help = _click_gettext("Show this message and exit.")
        return option

    def format_help_text(self, ctx, formatter):
        original = self.help
        self.help = _translated(original)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original

    def get_short_help_str(self, limit: int = 45) -> str:
        text = (_translated(self.help) or "").strip().split("\n\n")[0]
        for end in ("。", ". "):  # the first sentence, in either language
            if end in text:
                text = text.split(end)[0] + end.strip()
                break
        return " ".join(text.split())


class Command(TranslatedHelp, click.Command):
    """A command whose help is a msgid; `section` groups it in `guidelines --help`."""

    def __init__(self, *args, section: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section


# the sections of `guidelines --help`, in order
SECTIONS = {"build": N_("Build and correct editions"), "gate": N_("The quality gate and its pages"),
            "reports": N_("Reports and tables")}


def scan_lang(args: list[str]) -> str | None:
    """The --lang a command line asks for, read before click parses it (help and usage errors need it)."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in LANGS:
            return value
    return None


NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click ≥ 8.2


class Guidelines(TranslatedHelp, click.Group):
    """The `guidelines` group: commands listed by section, and the one error handler around all of them."""

    command_class = Command

    def format_commands(self, ctx, formatter):
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        for section, title in SECTIONS.items():
            rows = [(name, cmd.get_short_help_str()) for name, cmd in commands
                    if cmd is not None and not cmd.hidden and getattr(cmd, "section", None) == section]
            if rows:
                with formatter.section(_(title)):
                    formatter.write_dl(rows)
        rest = [(name, cmd.get_short_help_str()) for name, cmd in commands
                if cmd is not None and not cmd.hidden and getattr(cmd, "section", None) not in SECTIONS]
        if rest:
            with formatter.section(_click_gettext("Commands")):
                formatter.write_dl(rest)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = list(sys.argv[1:] if args is None else args)
        console.set_lang(scan_lang(args) or default_lang())
        with console.guarded():
            try:
                result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except NO_ARGS_IS_HELP as exc:  # `guidelines` alone: its help, as click shows it, not an error line
                console.err(exc.ctx.get_help())
                raise SystemExit(exc.exit_code) from None
            except click.UsageError as exc:
                where = exc.ctx.command_path if exc.ctx is not None else (prog_name or "guidelines")
                console.error_line(_("{message} (see `{command} --help`)").format(message=exc.format_message(),
                                                                                  command=where))
                raise SystemExit(exc.exit_code) from None
            except click.ClickException as exc:
                console.error_line(exc.format_message())
                raise SystemExit(exc.exit_code) from None
            except click.Abort as exc:
                if isinstance(exc.__context__, KeyboardInterrupt):  # click turns Ctrl-C (and SIGTERM) into Abort
                    console.interrupted_line(exc.__context__)
                    raise SystemExit(Interrupted.exit_code) from None
                console.error_line(_click_gettext("Aborted!"))
                raise SystemExit(1) from None
            code = result if isinstance(result, int) and not isinstance(result, bool) else 0
        if standalone_mode:
            raise SystemExit(code)
        return result


def show_version(ctx, param, value):
    """--version, in the reader's language (click's own option fixes its words when the module is imported)."""
    if value and not ctx.resilient_parsing:
        from importlib.metadata import version

        console.out(_click_gettext("%(prog)s, version %(version)s") % {"prog": ctx.find_root().info_name,
                                                                     "version": version("guidelines")})
        ctx.exit()


def set_lang(ctx, param, value):
    console.set_lang(value or console.current_lang() or default_lang())
    return console.current_lang()


def lang_option(command):
    """--lang zh|en on a command: its reports, summaries, help and errors in that language."""
    return click.option("--lang", cls=Option, type=click.Choice(LANGS), default=None, callback=set_lang,
                        is_eager=True, expose_value=True,
                        help=N_("language of reports and messages  [default: zh when LANG is Chinese, else en]"))(command)


def option(*decls, **attrs):
    """click.option with a translated help."""
    return click.option(*decls, cls=Option, **attrs)


# --- default locations: the project's folders ---------------------------------------------------------

def located(path: Path | None, name: str) -> Path:
    """An option's path as given (relative to the current folder), or the default location `name` in the project."""
    return Path(path) if path is not None else default_path(name)


def edition_dir(ref, root: Path) -> Path:
    """An edition directory from what a command was given: a directory, an edition.json path, or an edition id
    (ROOT/<id>, also when it does not exist yet, so the error names where it was looked for)."""
    from ..editions import is_edition_id

    path = Path(ref)
    if path.is_dir():
        return path
    if path.is_file() and path.name == "edition.json":
        return path.parent
    if is_edition_id(str(ref)) and not path.exists():
        return Path(root) / str(ref)
    return path


# --- option types -------------------------------------------------------------------------------------

class PositiveNumber(click.ParamType):
    """A finite number above zero (a limit): 0, negatives, nan and inf are usage errors."""

    def __init__(self, integer: bool = False):
        self.integer = integer
        self.name = "integer" if integer else "float"

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(value) if self.integer else float(value)
            except (TypeError, ValueError):
                self.fail(_("{value!r} is not a number").format(value=value), param, ctx)
        if isinstance(number, float) and not math.isfinite(number) or number <= 0:
            self.fail(_("{value} is not a positive finite number").format(value=value), param, ctx)
        return number


LIMIT_HELP = {
    "max_stream_mb": N_("largest size a compressed stream may inflate to, in MB"),
    "max_glyphs_per_page": N_("most glyphs on one page"),
    "max_pages": N_("most pages"),
    "max_paragraphs": N_("most paragraphs of a Word file"),
    "max_pixels": N_("most pixels a page is rendered at for OCR (A4 at 300 dpi is 8.7 million; a larger page is "
                     "read at a lower dpi, down to 100)"),
}


def limit_options(command):
    """One option per reading limit (`reading.pdf.Limits`), its default the library's own."""
    import dataclasses

    from ..reading.pdf import Limits

    for field in reversed(dataclasses.fields(Limits)):
        integer = field.type in ("int", int)
        command = option(Limits.OPTIONS[field.name], field.name, type=PositiveNumber(integer), default=field.default,
                         show_default=True, help=LIMIT_HELP.get(field.name, field.name.replace("_", " ")))(command)
    return command


# --- output helpers -----------------------------------------------------------------------------------

def progress(i: int, n: int, what) -> None:
    """One line per item on stderr when a command works through several."""
    if n > 1:
        console.err(f"… [{i}/{n}] {what}")


def emit(text: str, out: Path | None) -> None:
    """A report to stdout, or to --out (written whole or not at all)."""
    if out is None:
        console.out(text, nl=False)
    else:
        from ..fileio import write_output

        write_output(out, text)
        console.err(_("wrote {path}").format(path=out))
