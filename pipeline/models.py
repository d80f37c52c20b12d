"""The edition contract: typed records that `edition.json` holds.

`schemas/edition.schema.json` is generated from these models (`guidelines schema`), and a
test fails when the two drift apart. Bump SCHEMA_VERSION on any change a consumer sees.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0.0"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(Model):
    page: int = Field(description="1-based page number")
    bbox: list[float] = Field(description="x0, top, x1, bottom in PDF points, origin top-left", min_length=4,
                              max_length=4)


class Source(Model):
    """Where a value came from: the text it was read from and where that text sits."""

    text: str
    locations: list[Location] = Field(default_factory=list)


class Count(Model):
    min: int | None = Field(description="lowest number stated; null when only a maximum is given")
    max: int | None = Field(description="highest number stated; null when only a minimum is given")
    approximate: bool = Field(False, description="the text says 左右/约")
    text: str | None = Field(None, description="the words the count was read from")


class Years(Model):
    min: float | int | None
    max: float | int | None


class SourceFile(Model):
    path: str
    sha256: str
    pages: int


class EditionInfo(Model):
    id: str = Field(description='"2021-2": year and batch; the year alone when no batch is named')
    year: int | None
    batch: int | None
    title: str
    source: SourceFile
    direction_count: int | None = Field(description="number of directions the preamble states")
    partner_count: int | None = Field(description="number of partners the preamble states")
    project_count: Count | None = Field(description="project-count range the preamble states")
    budget_cny: int | None = Field(description="total budget the preamble states, in yuan")
    duration_years: Years | None = Field(description="usual project duration the preamble states")
    provenance: dict[str, Source] = Field(default_factory=dict)


class Partner(Model):
    name: str | None = Field(description="the partner as written in the title")
    iso_code: str | None = Field(description='ISO 3166-1 alpha-2; "EU" for the European Union')


class FieldOfResearch(Model):
    name: str
    topics: list[str] = Field(default_factory=list)
    description: str | None = None
    source: Source


class Requirement(Model):
    number: int | None
    text: str
    source: Source


class Contact(Model):
    name: str | None
    honorific: str | None = None
    phone: str | None = Field(None, description="E.164")
    phone_text: str | None = Field(None, description="the phone number as written")
    email: str | None
    source: Source


class Direction(Model):
    id: str = Field(description='"1.1" as numbered in the document')
    title: str
    partner: Partner
    agreements: list[str] = Field(description="agreement titles without 《》")
    fields: list[FieldOfResearch]
    fields_unrestricted: bool = Field(description="the guideline says 不限领域")
    fields_text: str | None = Field(None, description="the field section's own words when they are not a list")
    project_count: Count | None
    budget_cny: int | None
    budget_text: str | None
    requirements: list[Requirement]
    max_duration_years: float | int | None
    contacts: list[Contact]
    urls: list[str]
    pages: list[int]
    provenance: dict[str, Source] = Field(default_factory=dict,
                                          description="title, agreements, budget, project_count, "
                                                      "max_duration_years, urls[i] …")


class Quality(Model):
    """Whether the quality gate passed this copy. Only `published/<id>/edition.json` says passed."""

    status: Literal["unchecked", "passed", "failed"] = Field(
        "unchecked", description="unchecked: straight from extract; passed: every check passed (published copy)")
    checks_passed: int | None = None
    checks_failed: int | None = None
    checks_skipped: int | None = None
    validated_at: str | None = None


class Edition(Model):
    schema_version: str = SCHEMA_VERSION
    edition: EditionInfo
    directions: list[Direction]
    quality: Quality = Field(default_factory=Quality)
    warnings: list[str] = Field(default_factory=list,
                                description="what the extractor could not read as expected")


class CheckResult(Model):
    name: str = Field(description="what the check asserts, in words")
    table: str = Field(description="the table it runs on (directions, contacts, urls)")
    expectation: str = Field(description="the Great Expectations expectation type")
    status: Literal["passed", "failed", "skipped"]
    success: bool | None = Field(description="null when skipped")
    observed_value: Any = None
    unexpected_values: list[Any] = Field(default_factory=list)
    where: list[str] = Field(default_factory=list, description="direction ids of the offending rows")
    message: str | None = Field(None, description="for a failure: expected, found and where; for a skip: why")


class ValidationSummary(Model):
    checks: int
    passed: int
    failed: int
    skipped: int


class ValidationReport(Model):
    schema_version: str = SCHEMA_VERSION
    edition_id: str
    edition_sha256: str = Field(description="sha256 of the edition.json that was validated")
    status: Literal["passed", "failed"]
    validated_at: str
    great_expectations_version: str
    summary: ValidationSummary
    checks: list[CheckResult]
    data_docs: str | None = Field(None, description="Data Docs index, relative to the edition directory")
