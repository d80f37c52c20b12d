"""The edition contract: typed records that `edition.json` holds.

`schemas/edition.schema.json` is generated from these models (`guidelines schema`), and a
test fails when the two drift apart. Bump SCHEMA_VERSION on any change a consumer sees.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer

SCHEMA_VERSION = "1.6.0"
# 1.1.0: no run timestamps (validated_at), so outputs are byte-reproducible
# 1.2.0: corrections[] on records and per_project_cap_cny on directions (additive)
# 1.3.0: Word sources — a location is a page and bbox (PDF) or a paragraph index (Word): page and bbox
#        optional, `paragraph` added; source.format added, source.pages null for a Word file; a location
#        read by OCR from a scan carries ocr.confidence (additive)
# 1.4.0: derived facts on every direction (`derived`: project bounds, money per project, who may apply),
#        computed once after corrections (records/derived.py) and read by every consumer; budget_text is
#        the amount as printed, not the whole budget field; a check result has a stable `id` and the
#        `paths` of the values it concerns; a diff's added and removed directions carry their budget
# 1.5.0: web pages and what else users receive — a location may be a web page's paragraph: `paragraph` and
#        `css_path`; source.format html or mhtml, source.url (an .mhtml's address); a location read from
#        someone else's text layer carries ocr.source "foreign text layer" (confidence then null), and one our
#        OCR read where that layer disagreed carries ocr.foreign_layer "disagrees" (additive)
# 1.6.0: ocr.word, the word an OCR'd value's least sure character is in (additive; absent, like confidence,
#        for a value read from someone else's text layer)


class Model(BaseModel):
    # validators are built on first use: extract never pays for the report models it does not use
    model_config = ConfigDict(extra="forbid", defer_build=True)


class OcrReading(Model):
    confidence: float | None = Field(None, description="the OCR engine's confidence in the least sure character, "
                                                       "0…1; null for someone else's text layer (unknown)",
                                     ge=0, le=1)
    word: str | None = Field(None, description="the word (or number) that least sure character is in")
    source: Literal["foreign text layer"] | None = Field(
        None, description="foreign text layer: read from an invisible text layer someone else's OCR put on a scan, "
                          "not checked by our OCR (needs review); absent: read by our OCR")
    foreign_layer: Literal["agrees", "disagrees"] | None = Field(
        None, description="on a scan that came with someone else's invisible text layer: whether that layer said the "
                          "same as our OCR here (disagrees: our reading was used, the disagreement needs review)")

    @model_serializer(mode="wrap")
    def _only_what_applies(self, handler):
        return {k: v for k, v in handler(self).items() if v is not None}


class Location(Model):
    """Where text sits: a page and box in a PDF (read from its text layer or by OCR), a paragraph of a Word file,
    or a paragraph and element of a web page."""

    page: int | None = Field(None, description="1-based page number (PDF); null for a Word source")
    bbox: list[float] | None = Field(None, description="x0, top, x1, bottom in PDF points, origin top-left; "
                                                       "null for a Word source", min_length=4, max_length=4)
    paragraph: int | None = Field(None, description="0-based index of the paragraph among the Word document "
                                                    "body's paragraphs (table cells included) or the web page's "
                                                    "article paragraphs; null for a PDF")
    css_path: str | None = Field(None, description="web page: the CSS path of the element the text is in")
    ocr: OcrReading | None = Field(None, description="present when the text was read by OCR from a scan")

    @model_serializer(mode="wrap")
    def _only_what_applies(self, handler):
        # a PDF location has no paragraph, a Word one no page, a text-layer one no ocr: leave those keys out
        return {k: v for k, v in handler(self).items() if v is not None}


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


class Correction(Model):
    """A value a person corrected (corrections/<id>.yaml), applied after extraction."""

    path: str = Field(description="where in the record: title, budget_cny, contacts[0].name …")
    was: Any = Field(description="what the extractor produced")
    value: Any = Field(description="what the record now holds")
    reason: str


class SourceFile(Model):
    path: str
    sha256: str
    pages: int | None = Field(description="number of pages; null for a Word file or web page (pages depend on the "
                                           "renderer)")
    format: Literal["pdf", "docx", "html", "mhtml"] = Field(
        "pdf", description="pdf, docx for a Word file (.doc/.wps converted), html for a web page, mhtml for one a "
                           "browser saved")
    url: str | None = Field(None, description="a saved web page's own address (the .mhtml's snapshot location)")

    @model_serializer(mode="wrap")
    def _only_what_applies(self, handler):
        return {k: v for k, v in handler(self).items() if not (k == "url" and v is None)}


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
    corrections: list[Correction] = Field(default_factory=list,
                                          description="preamble values a person corrected (corrections/<id>.yaml)")


class Partner(Model):
    name: str | None = Field(description="the partner as written in the title")
    iso_code: str | None = Field(description='ISO 3166-1 alpha-2; "EU" for the European Union')
    organisation: str | None = Field(None, description="for an international organisation or multilateral "
                                                       "mechanism without an ISO code: its code (ASEAN, BRICS …)")


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


class EligibilityRule(Model):
    kind: Literal["lead", "only", "excluded", "joint_application", "ip_agreement", "matching_funds", "partner",
                  "programme"]
    side: Literal["china", "partner"] | None
    org_types: list[Literal["enterprise", "university", "research_institute"]]
    detail: str | None
    encouraged: bool = Field(description="鼓励…: an encouragement, not an obligation")
    requirement: int | None = Field(description="number of the requirement it came from")
    text: str = Field(description="that requirement's text")


class DirectionEligibility(Model):
    may_lead: list[Literal["enterprise", "university", "research_institute"]] = Field(
        description="kinds of Chinese organisation that may lead an application")
    joint_application_required: bool
    ip_agreement_required: bool
    matching_funds_required: bool
    partner_constraints: list[str]
    max_duration_years: float | int | None = Field(description="the direction's max_duration_years")
    rules: list[EligibilityRule]


class PerProject(Model):
    min: int | None = Field(description="budget ÷ project_count.max, in yuan: what each project gets when the most "
                                        "are funded; null when no maximum is stated")
    max: int | None = Field(description="budget ÷ project_count.min, in yuan: when the fewest are funded; null when "
                                        "no minimum is stated (不超过 10 个 allows one project)")


class DirectionDerived(Model):
    """What follows from a direction's values: computed once by records/derived.py, after a person's corrections
    are applied, and read by every consumer (checks, warnings, tables, diff, partner, review, eligible). Never
    corrected itself: correct the values it follows from."""

    projects_low: int | None = Field(description="lowest number of projects the direction may fund: "
                                                 "project_count.min, else project_count.max")
    projects_high: int | None = Field(description="highest number of projects: project_count.max, else "
                                                  "project_count.min")
    budget_per_project_cny: PerProject
    eligibility: DirectionEligibility = Field(description="who may apply, read from the requirements")


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
    budget_text: str | None = Field(description="the amount as printed (2000 万元), the span budget_cny was read "
                                                "from")
    per_project_cap_cny: int | None = Field(None, description="most one project may get, in yuan (每个项目不超过 "
                                                              "500 万元); its words in provenance.per_project_cap_cny")
    requirements: list[Requirement]
    max_duration_years: float | int | None
    contacts: list[Contact]
    urls: list[str]
    pages: list[int]
    provenance: dict[str, Source] = Field(default_factory=dict,
                                          description="title, agreements, budget, project_count, "
                                                      "per_project_cap_cny, max_duration_years, urls[i] …")
    corrections: list[Correction] = Field(default_factory=list,
                                          description="values a person corrected (corrections/<id>.yaml)")
    derived: DirectionDerived = Field(description="facts computed from the values above, corrections applied")


class Quality(Model):
    """Whether the quality gate passed this copy. Only `published/<id>/edition.json` says passed."""

    status: Literal["unchecked", "passed", "failed"] = Field(
        "unchecked", description="unchecked: straight from extract; passed: every check passed (published copy)")
    checks_passed: int | None = None
    checks_failed: int | None = None
    checks_skipped: int | None = None


class Edition(Model):
    schema_version: str = SCHEMA_VERSION
    edition: EditionInfo
    directions: list[Direction]
    quality: Quality = Field(default_factory=Quality)
    warnings: list[str] = Field(default_factory=list,
                                description="what the extractor could not read as expected")


class CheckResult(Model):
    id: str = Field(description="the check's stable id (budget_sum_matches_preamble): what programs key on; the "
                                "name may be reworded")
    name: str = Field(description="what the check asserts, in words")
    table: str = Field(description="the table it runs on (directions, contacts, urls)")
    expectation: str = Field(description="the Great Expectations expectation type")
    status: Literal["passed", "failed", "skipped"]
    success: bool | None = Field(description="null when skipped")
    observed_value: Any = None
    unexpected_values: list[Any] = Field(default_factory=list)
    where: list[str] = Field(default_factory=list, description="direction ids of the offending rows")
    paths: list[str] = Field(default_factory=list, description="for a failure: the values it concerns, as paths "
                                                               "into edition.json (directions[3].budget_cny, "
                                                               "directions[0].contacts[1].email, edition.budget_cny)")
    message: str | None = Field(None, description="for a failure: expected, found and where; for a skip: why")


class ValidationSummary(Model):
    checks: int
    passed: int
    failed: int
    skipped: int


class QualityWarning(Model):
    """A doubt that does not withhold the edition but that a person should look at (needs review)."""

    rule: str = Field(description="the warning rule that raised it (quality/warnings.py)")
    direction: str | None = Field(None, description="the direction id it concerns, null for the edition")
    path: str | None = Field(None, description="the value it concerns: budget_cny, contacts[0].email …")
    message: str


class ValidationReport(Model):
    schema_version: str = SCHEMA_VERSION
    edition_id: str
    edition_sha256: str = Field(description="sha256 of the edition.json that was validated")
    status: Literal["passed", "failed"]
    great_expectations_version: str
    summary: ValidationSummary
    checks: list[CheckResult]
    warnings: list[QualityWarning] = Field(default_factory=list, description="needs review; never withholds")
    data_docs: str | None = Field(None, description="Data Docs index, relative to the edition directory")


# --- diff report (guidelines diff --format json) ----------------------------------------------

class FieldChange(Model):
    field: str
    old: Any = None
    new: Any = None
    diff: float | int | None = Field(None, description="new − old, for numbers")
    pct: float | None = Field(None, description="change in percent of old, for numbers")


class Edit(Model):
    op: Literal["replace", "insert", "delete"]
    old: str | None = None
    new: str | None = None


class Reworded(Model):
    old: str
    new: str
    similarity: float
    edits: list[Edit] = Field(description="the words that changed")


class ListDiff(Model):
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    reworded: list[Reworded] = Field(default_factory=list)

    def empty(self) -> bool:
        return not (self.added or self.removed or self.reworded)


class SetDiff(Model):
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)

    def empty(self) -> bool:
        return not (self.added or self.removed)


class TopicChange(Model):
    field: str
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)


class FieldsDiff(Model):
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    topics_changed: list[TopicChange] = Field(default_factory=list)

    def empty(self) -> bool:
        return not (self.added or self.removed or self.topics_changed)


class ContactChange(Model):
    contact: str | None
    field: Literal["name", "phone", "email"]
    old: str | None
    new: str | None


class ContactsDiff(Model):
    added: list[str | None] = Field(default_factory=list)
    removed: list[str | None] = Field(default_factory=list)
    changed: list[ContactChange] = Field(default_factory=list)

    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


class DirectionChanges(Model):
    values: list[FieldChange] = Field(default_factory=list,
                                      description="title, partner, budget_cny, project_count, max_duration_years …")
    agreements: ListDiff = Field(default_factory=ListDiff)
    fields: FieldsDiff = Field(default_factory=FieldsDiff)
    requirements: ListDiff = Field(default_factory=ListDiff)
    contacts: ContactsDiff = Field(default_factory=ContactsDiff)
    urls: SetDiff = Field(default_factory=SetDiff)

    def has_changes(self) -> bool:
        return bool(self.values) or not all(
            part.empty() for part in (self.agreements, self.fields, self.requirements, self.contacts, self.urls))


class DirectionRef(Model):
    id: str | None
    title: str | None
    partner_name: str | None
    partner_iso: str | None
    budget_cny: int | None = Field(None, description="the direction's budget (in added and removed directions)")


class DirectionDiff(Model):
    old: DirectionRef
    new: DirectionRef
    changes: DirectionChanges


class Match(Model):
    old_id: str | None
    new_id: str | None
    partner_iso: str | None
    title: str | None
    score: float = Field(description="0…1: partner, title similarity and shared agreements")
    title_similarity: float


class DiffSide(Model):
    id: str | None
    title: str | None
    path: str | None
    sha256: str | None = Field(None, description="sha256 of the source PDF")
    budget_cny: int | None = None
    project_count: dict | None = Field(None, description="{min, max} as the preamble states")
    direction_count: int | None = None
    partner_count: int | None = None
    duration_years: dict | None = None


class EligibilityChange(Model):
    """A change in who may apply to a matched direction, with the requirement that made it."""

    direction: str | None = Field(description="direction id in the new edition")
    partner_iso: str | None
    what: Literal["may_lead", "joint_application_required", "ip_agreement_required", "matching_funds_required",
                  "partner_constraints", "max_duration_years"]
    org_type: Literal["enterprise", "university", "research_institute"] | None = Field(
        None, description="for may_lead: the kind of organisation that may now (new: true) or no longer lead")
    old: Any = None
    new: Any = None
    requirement: int | None = Field(None, description="number of the requirement behind the change")
    requirement_change: Literal["added", "removed", "reworded"] | None = Field(
        None, description="what happened to that requirement")
    text: str | None = Field(None, description="that requirement's text (new, or old when it was removed)")


class DiffSummary(Model):
    directions_added: int
    directions_removed: int
    directions_changed: int
    directions_unchanged: int


class DiffReport(Model):
    schema_version: str = SCHEMA_VERSION
    old: DiffSide
    new: DiffSide
    identical: bool = Field(description="true when nothing changed at all")
    summary: DiffSummary
    totals: list[FieldChange] = Field(description="changes in what the preambles state")
    added: list[DirectionRef]
    removed: list[DirectionRef]
    changed: list[DirectionDiff]
    eligibility: list[EligibilityChange] = Field(default_factory=list,
                                                 description="who may lead or must do what, per matched direction")
    unchanged: list[str | None] = Field(description="ids (in the new edition) of matched directions with no change")
    matching: list[Match] = Field(description="which old direction was matched to which new one, and how well")


# --- enrichment (guidelines enrich → DIR/enrichment.json) ------------------------------------

class TextSpan(Model):
    field: str = Field(description='where in the direction: "title", "agreements[0]", "fields[2]" …')
    text: str = Field(description="that field's text")
    start: int | None = Field(None, description="where the mention starts in text (characters)")
    end: int | None = Field(None, description="where it ends (exclusive)")


class AgencyMention(Model):
    id: str = Field(description="gazetteer id (data/agencies.yaml), gov-XX for a government")
    name: str = Field(description="as written")
    en: str
    country: str = Field(description="ISO 3166-1 alpha-2, EU")
    side: Literal["china", "partner"]
    source: TextSpan


class PartnerCheck(Model):
    iso_code: str | None = Field(description="the partner code of the direction record")
    entity_countries: list[str] = Field(description="foreign countries the title and agreements name")
    consistent: bool | None = Field(description="null when the texts name no foreign country")


class Keyword(Model):
    term: str
    weight: float
    source: TextSpan | None = None


class DirectionEnrichment(Model):
    id: str
    agencies: list[AgencyMention]
    partner_check: PartnerCheck
    keywords: list[Keyword]
    eligibility: DirectionEligibility


class Enrichment(Model):
    schema_version: str = SCHEMA_VERSION
    edition_id: str
    edition_sha256: str = Field(description="sha256 of the edition.json it enriches")
    directions: list[DirectionEnrichment]
