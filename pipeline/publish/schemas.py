"""JSON Schema contracts generated from the models, kept in `schemas/`."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ..models import DiffReport, Edition, Enrichment, ValidationReport


def model_schema(model: type[BaseModel], schema_id: str) -> dict:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = schema_id
    return schema


SCHEMAS = {
    "edition.schema.json": lambda: model_schema(Edition, "edition.schema.json"),
    "validation.schema.json": lambda: model_schema(ValidationReport, "validation.schema.json"),
    "diff.schema.json": lambda: model_schema(DiffReport, "diff.schema.json"),
    "enrichment.schema.json": lambda: model_schema(Enrichment, "enrichment.schema.json"),
}


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """The schema files in out_dir, each written atomically; a directory, device or FIFO where a file or the
    directory goes is refused (OutputError, exit 9), never replaced or written into."""
    from ..errors import OutputError
    from ..fileio import check_output_file, write_text_atomic
    from ..i18n import N_
    from .tables import tables_markdown

    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(N_("{path}: exists and is not a directory; give a new or empty directory"), path=out_dir)
    texts = {name: render(build()) for name, build in SCHEMAS.items()}
    texts["tables.md"] = tables_markdown()
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in texts:  # all before any is written: nothing half-done
            check_output_file(out_dir / name)
        for name, text in texts.items():
            write_text_atomic(out_dir / name, text)
            written.append(out_dir / name)
    except OSError as exc:
        raise OutputError(N_("{path}: cannot be written ({reason}); choose another {option}"), path=out_dir,
                          reason=exc.strerror, option="--out") from None
    return written
