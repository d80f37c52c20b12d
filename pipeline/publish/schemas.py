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
    from .tables import tables_markdown

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in SCHEMAS.items():
        path = out_dir / name
        path.write_text(render(build()), encoding="utf-8")
        written.append(path)
    (out_dir / "tables.md").write_text(tables_markdown(), encoding="utf-8")
    written.append(out_dir / "tables.md")
    return written
