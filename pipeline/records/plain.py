"""The edition's records as plain dataclasses: what `extract` builds and writes, without pydantic.

`pipeline/models.py` is the contract (pydantic; `schemas/edition.schema.json` is made from
it, and `validate`, `publish` and every later stage read `edition.json` through it).
Importing and building those models costs ~0.15 s, as much as reading a 13-page PDF with
pdfium, so the extract stage builds these twins instead: the same classes, fields, order
and defaults, and `model_dump(mode="json")` gives the JSON pydantic would. They do not
validate; `tests/test_plain_records.py` holds each class to its model field by field, and
every edition the suite extracts to `Edition.model_validate(json).model_dump(mode="json")`.
A change to the Edition side of models.py is made here too (that test says where).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.3.0"  # models.SCHEMA_VERSION (a test keeps the two equal)

LOCATION_KEYS = ("page", "bbox", "paragraph", "ocr")  # models.Location's fields, in order


def location_json(location: dict) -> dict:
    """A location as models.Location dumps it: its fields in order, those that do not apply left out."""
    out = {}
    for key in LOCATION_KEYS:
        value = location.get(key)
        if value is None:
            continue
        if key == "bbox":
            value = [float(v) for v in value]
        elif key == "ocr":
            value = {"confidence": float(value["confidence"])}
        out[key] = value
    return out


def _json(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


@dataclass(kw_only=True)
class Record:
    def model_dump(self, mode: str = "json") -> dict:
        """The record as pydantic's model_dump(mode="json") of its model gives it."""
        return {f.name: _json(getattr(self, f.name)) for f in dataclasses.fields(self)}


@dataclass(kw_only=True)
class Source(Record):
    text: str
    locations: list[dict] = field(default_factory=list)  # models.Location as dicts (page, bbox | paragraph, ocr)

    def model_dump(self, mode: str = "json") -> dict:
        return {"text": self.text, "locations": [location_json(loc) for loc in self.locations]}


@dataclass(kw_only=True)
class Count(Record):
    min: int | None
    max: int | None
    approximate: bool = False
    text: str | None = None


@dataclass(kw_only=True)
class Years(Record):
    min: float | int | None
    max: float | int | None


@dataclass(kw_only=True)
class SourceFile(Record):
    path: str
    sha256: str
    pages: int | None
    format: str = "pdf"


@dataclass(kw_only=True)
class EditionInfo(Record):
    id: str
    year: int | None
    batch: int | None
    title: str
    source: SourceFile
    direction_count: int | None
    partner_count: int | None
    project_count: Count | None
    budget_cny: int | None
    duration_years: Years | None
    provenance: dict[str, Source] = field(default_factory=dict)
    corrections: list[dict] = field(default_factory=list)


@dataclass(kw_only=True)
class Partner(Record):
    name: str | None
    iso_code: str | None
    organisation: str | None = None


@dataclass(kw_only=True)
class FieldOfResearch(Record):
    name: str
    topics: list[str] = field(default_factory=list)
    description: str | None = None
    source: Source


@dataclass(kw_only=True)
class Requirement(Record):
    number: int | None
    text: str
    source: Source


@dataclass(kw_only=True)
class Contact(Record):
    name: str | None
    honorific: str | None = None
    phone: str | None = None
    phone_text: str | None = None
    email: str | None
    source: Source


@dataclass(kw_only=True)
class Direction(Record):
    id: str
    title: str
    partner: Partner
    agreements: list[str]
    fields: list[FieldOfResearch]
    fields_unrestricted: bool
    fields_text: str | None = None
    project_count: Count | None
    budget_cny: int | None
    budget_text: str | None
    per_project_cap_cny: int | None = None
    requirements: list[Requirement]
    max_duration_years: float | int | None
    contacts: list[Contact]
    urls: list[str]
    pages: list[int]
    provenance: dict[str, Source] = field(default_factory=dict)
    corrections: list[dict] = field(default_factory=list)


@dataclass(kw_only=True)
class Quality(Record):
    status: str = "unchecked"
    checks_passed: int | None = None
    checks_failed: int | None = None
    checks_skipped: int | None = None


@dataclass(kw_only=True)
class Edition(Record):
    schema_version: str = SCHEMA_VERSION
    edition: EditionInfo
    directions: list[Direction]
    quality: Quality = field(default_factory=Quality)
    warnings: list[str] = field(default_factory=list)


# the models these stand for (tests/test_plain_records.py)
TWINS = (Source, Count, Years, SourceFile, EditionInfo, Partner, FieldOfResearch, Requirement, Contact, Direction,
         Quality, Edition)
