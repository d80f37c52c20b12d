"""The `guidelines` command: a thin layer over the library.

Every error a user can cause ends in one line on stderr that says what is wrong and
what to do, and an exit code per kind of error (see errors.py); no traceback.
Set GUIDELINES_DEBUG=1 to see the traceback of an unexpected failure.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import GuidelineError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Turn 申报指南 PDFs into clean, traceable edition records.")


def fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def run(action):
    """Run action, turning every error into one line and an exit code."""
    try:
        return action()
    except GuidelineError as exc:
        fail(exc.message, exc.exit_code)
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug, not bad input: still one line, but say so
        if os.environ.get("GUIDELINES_DEBUG"):
            raise
        fail(f"internal error ({type(exc).__name__}: {exc}); rerun with GUIDELINES_DEBUG=1 and report it", 1)


@app.command()
def extract(
    pdf: Path = typer.Argument(..., help="the guideline PDF", show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="output directory [default: extracted/<edition id>]"),
    edition: Optional[str] = typer.Option(None, "--edition", help="edition id, e.g. 2021-2 [default: from the title]"),
) -> None:
    """Extract one guideline PDF into DIR/edition.json (and every stage's output beside it).

    Example: guidelines extract raw/2021-2.pdf --out extracted/2021-2
    """
    from .extract import extract_to_dir

    stages, out_dir = run(lambda: extract_to_dir(pdf, out, edition))
    ed = stages.edition
    info = ed.edition
    budget = f"{info.budget_cny / 1e8:g} 亿元" if info.budget_cny else "budget not stated"
    typer.echo(f"{info.id}: {len(ed.directions)} directions, {budget} → {out_dir / 'edition.json'}")
    for warning in ed.warnings:
        typer.echo(f"warning: {warning}", err=True)


@app.command()
def schema(
    out: Path = typer.Option(Path("schemas"), "--out", "-o", help="directory for the JSON Schema files"),
) -> None:
    """Write the JSON Schema of edition.json, generated from the models.

    Example: guidelines schema --out schemas
    """
    from .schemas import write_schemas

    for path in run(lambda: write_schemas(out)):
        typer.echo(str(path))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
