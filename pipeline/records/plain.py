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

from typing import Any

SCHEMA_VERSION = "1.6.0"  # models.SCHEMA_VERSION (a test keeps the two equal)

LOCATION_KEYS = ("page", "bbox", "paragraph", "css_path", "ocr")  # models.Location's fields, in order
OCR_KEYS = ("confidence", "word", "source", "foreign_layer")  # models.OcrReading's


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
            value = {k: (float(value[k]) if k == "confidence" else value[k]) for k in OCR_KEYS
                     if value.get(k) is not None}
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


REQUIRED = object()


class Record:
    """A record with keyword fields: FIELDS maps each name, in the model's order, to its default
    (REQUIRED; a class such as list is a factory, called for each record). Plain classes rather
    than dataclasses: twelve dataclasses take ~20 ms to create at import."""

    FIELDS: dict[str, Any] = {}

    def __init__(self, **values):
        unknown = values.keys() - self.FIELDS.keys()
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        for name, default in self.FIELDS.items():
            if name in values:
                value = values[name]
            elif default is REQUIRED:
                raise TypeError(f"{type(self).__name__} needs {name}")
            else:
                value = default() if isinstance(default, type) else default
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.FIELDS)})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.FIELDS)

    def model_dump(self, mode: str = "json") -> dict:
        """The record as pydantic's model_dump(mode="json") of its model gives it."""
        return {name: _json(getattr(self, name)) for name in self.FIELDS}

    def model_copy(self, update: dict | None = None) -> "Record":
        """A shallow copy with some fields replaced, as pydantic's model_copy makes it."""
        copy = type(self).__new__(type(self))
        copy.__dict__.update(self.__dict__)
        for name, value in (update or {}).items():
            if name not in self.FIELDS:
                raise TypeError(f"{type(self).__name__} has no field {name}")
            setattr(copy, name, value)
        return copy


class Source(Record):
    FIELDS = {"text": REQUIRED, "locations": list}  # models.Location as dicts (page, bbox | paragraph, ocr)

    def model_dump(self, mode: str = "json") -> dict:
        return {"text": self.text, "locations": [location_json(loc) for loc in self.locations]}


class Count(Record):
    FIELDS = {"min": REQUIRED, "max": REQUIRED, "approximate": False, "text": None}


class Years(Record):
    FIELDS = {"min": REQUIRED, "max": REQUIRED}


class SourceFile(Record):
    FIELDS = {"path": REQUIRED, "sha256": REQUIRED, "pages": REQUIRED, "format": "pdf", "url": None}

    def model_dump(self, mode: str = "json") -> dict:
        out = super().model_dump(mode)
        if out["url"] is None:  # a saved web page's address, left out for everything else
            del out["url"]
        return out


class EditionInfo(Record):
    FIELDS = {"id": REQUIRED, "year": REQUIRED, "batch": REQUIRED, "title": REQUIRED, "source": REQUIRED,
              "direction_count": REQUIRED, "partner_count": REQUIRED, "project_count": REQUIRED,
              "budget_cny": REQUIRED, "duration_years": REQUIRED, "provenance": dict, "corrections": list}


class Partner(Record):
    FIELDS = {"name": REQUIRED, "iso_code": REQUIRED, "organisation": None}


class FieldOfResearch(Record):
    FIELDS = {"name": REQUIRED, "topics": list, "description": None, "source": REQUIRED}


class Requirement(Record):
    FIELDS = {"number": REQUIRED, "text": REQUIRED, "source": REQUIRED}


class Contact(Record):
    FIELDS = {"name": REQUIRED, "honorific": None, "phone": None, "phone_text": None, "email": REQUIRED,
              "source": REQUIRED}


class EligibilityRule(Record):
    FIELDS = {"kind": REQUIRED, "side": REQUIRED, "org_types": REQUIRED, "detail": REQUIRED, "encouraged": REQUIRED,
              "requirement": REQUIRED, "text": REQUIRED}


class DirectionEligibility(Record):
    FIELDS = {"may_lead": REQUIRED, "joint_application_required": REQUIRED, "ip_agreement_required": REQUIRED,
              "matching_funds_required": REQUIRED, "partner_constraints": REQUIRED, "max_duration_years": REQUIRED,
              "rules": REQUIRED}


class PerProject(Record):
    FIELDS = {"min": REQUIRED, "max": REQUIRED}


class DirectionDerived(Record):
    FIELDS = {"projects_low": REQUIRED, "projects_high": REQUIRED, "budget_per_project_cny": REQUIRED,
              "eligibility": REQUIRED}


class Direction(Record):
    FIELDS = {"id": REQUIRED, "title": REQUIRED, "partner": REQUIRED, "agreements": REQUIRED, "fields": REQUIRED,
              "fields_unrestricted": REQUIRED, "fields_text": None, "project_count": REQUIRED,
              "budget_cny": REQUIRED, "budget_text": REQUIRED, "per_project_cap_cny": None,
              "requirements": REQUIRED, "max_duration_years": REQUIRED, "contacts": REQUIRED, "urls": REQUIRED,
              "pages": REQUIRED, "provenance": dict, "corrections": list, "derived": REQUIRED}


class Quality(Record):
    FIELDS = {"status": "unchecked", "checks_passed": None, "checks_failed": None, "checks_skipped": None}


class Edition(Record):
    FIELDS = {"schema_version": SCHEMA_VERSION, "edition": REQUIRED, "directions": REQUIRED, "quality": Quality,
              "warnings": list}


# the models these stand for (tests/test_plain_records.py)
TWINS = (Source, Count, Years, SourceFile, EditionInfo, Partner, FieldOfResearch, Requirement, Contact,
         EligibilityRule, DirectionEligibility, PerProject, DirectionDerived, Direction, Quality, Edition)
