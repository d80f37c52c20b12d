"""The index page: every edition the gate has seen, published or withheld, with links to its reports.

Read from `published/` (what the gate decided) and written beside the extracted editions
(`extracted/index.html`), whose reports it links to. A page of its own stage, so DVC
knows who writes it.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from urllib.parse import quote

from ..editions import is_edition_id
from ..fileio import write_output
from ..i18n import translator
from ..style import html_page


def edition_statuses(published_root: Path) -> list[dict]:
    """One row per edition directory under published_root: id, status, counts, failed checks."""
    rows = []
    root = Path(published_root)
    for directory in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if not is_edition_id(directory.name):
            continue  # temporary siblings of a killed run, or anything that is no edition
        edition, withheld = directory / "edition.json", directory / "withheld.json"
        if edition.is_file():
            quality = json.loads(edition.read_text(encoding="utf-8")).get("quality") or {}
            rows.append({"id": directory.name, "status": "published", "failed_checks": [],
                         "counts": f"{quality.get('checks_passed')} passed, {quality.get('checks_skipped')} skipped",
                         "passed": quality.get("checks_passed"), "skipped": quality.get("checks_skipped")})
        elif withheld.is_file():
            data = json.loads(withheld.read_text(encoding="utf-8"))
            failed = [str(m) for m in data.get("failed_checks") or []]
            rows.append({"id": directory.name, "status": "withheld", "failed_checks": failed,
                         "counts": f"{len(failed)} failed", "failed": len(failed)})
    return rows


def _href(*parts: str) -> str:
    return html.escape("/".join(quote(p) for p in parts), quote=True)


def index_html(rows: list[dict], reports_root: str, lang: str = "en") -> str:
    """The page; reports_root is the path from the page to the extracted editions ('' when beside them)."""
    _ = translator(lang)
    status = {"published": _("published"), "withheld": _("withheld")}

    def counts(row: dict) -> str:
        if "passed" in row:
            return _("{passed} passed, {skipped} skipped").format(passed=row["passed"], skipped=row["skipped"])
        if "failed" in row:
            return _("{failed} failed").format(failed=row["failed"])
        return row["counts"]

    prefix = [reports_root] if reports_root else []
    body = []
    for row in rows:
        failed = "".join(f"<li>{html.escape(m)}</li>" for m in row["failed_checks"])
        links = " ".join(f'<a href="{_href(*prefix, row["id"], name)}">{label}</a>' for name, label in (
            ("review.html", _("review")), ("validation.json", "validation.json"), ("data_docs/index.html", "Data Docs")))
        cls = {"published": "passed", "withheld": "failed"}[row["status"]]  # the status in the shared colours
        body.append(f'<tr class="{row["status"]}"><td>{html.escape(row["id"])}</td>'
                    f'<td class="{cls}">{html.escape(status[row["status"]])}</td>'
                    f'<td>{html.escape(counts(row))}{"<ul>" + failed + "</ul>" if failed else ""}</td>'
                    f"<td>{links}</td></tr>")
    title = _("Edition quality")
    intro = html.escape(_("Only editions that passed every check are published as clean."))
    head = "".join(f"<th>{html.escape(h)}</th>" for h in (_("edition"), _("status"), _("checks"), _("reports")))
    return html_page(title, f'<p>{intro}</p><div class="scroll"><table class="editions"><tr>{head}</tr>'
                            + "".join(body) + "</table></div>", lang)


def write_index(published_root: Path, out: Path, reports_root: Path, lang: str = "en") -> Path:
    """Write the index page to out, linking to reports_root/<id>/."""
    out = Path(out)
    relative = os.path.relpath(Path(reports_root).resolve(), out.parent.resolve())
    return write_output(out, index_html(edition_statuses(published_root), "" if relative == "." else relative, lang))


def main(argv: list[str] | None = None) -> None:
    """The DVC stage `index`: `python -m pipeline.publish.index --published P --reports R --out FILE --lang en`."""
    import argparse

    from .. import console
    from ..i18n import translator

    parser = argparse.ArgumentParser(prog="python -m pipeline.publish.index", description=__doc__.split("\n")[0])
    parser.add_argument("--published", type=Path, default=Path("published"), help="root of the published editions")
    parser.add_argument("--reports", type=Path, default=Path("extracted"), help="where each edition's reports are")
    parser.add_argument("--out", type=Path, default=Path("extracted/index.html"), help="the page to write")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the page")
    args = parser.parse_args(argv)
    with console.guarded():
        path = write_index(args.published, args.out, args.reports, args.lang)
        _ = translator(args.lang)
        console.out(_("wrote {path}").format(path=path))


if __name__ == "__main__":
    main()
