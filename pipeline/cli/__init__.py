"""The `guidelines` command: a thin layer (click) over the library, one module per group of commands.

- `build`: extract, enrich, correct, ingest — make and fix edition records;
- `gate`: validate, publish, review, index — the quality gate and the pages people check;
- `reports`: diff, partner, search, eligible, tables, schema — what the editions say.

`base` holds what they share: the group, whose one error handler runs every command (a
GuidelineError is one line on stderr that says what to do, and its exit code; see
errors.py; usage errors are one line too, exit 2; GUIDELINES_DEBUG=1 shows the traceback of
an unexpected failure), help translated into the reader's language, default locations
from the project root. Everything printed goes through `pipeline.console`.

The DVC stages do not run this CLI: each runs its stage module (`python -m pipeline.extract`
…), so editing a help text re-runs nothing.
"""

from __future__ import annotations

import click

from ..i18n import N_
from . import build, gate, reports
from .base import Guidelines, lang_option, option, show_version

APP_HELP = N_("Turn 申报指南 PDFs into clean, traceable edition records.")


@click.group(cls=Guidelines, name="guidelines", help=APP_HELP,
             context_settings={"help_option_names": ["-h", "--help"]})
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=show_version,
        help=N_("Show the version and exit."))
@lang_option
def app(lang: str) -> None:
    pass


for _module in (build, gate, reports):
    for _command in _module.COMMANDS:
        app.add_command(_command)

__all__ = ["app", "lang_option"]
