"""Records stage: document tree → `Edition` (plain.py's twins of the contract in models.py)."""

from __future__ import annotations

import re

from . import values
from .derived import direction_facts
from .money import parse_per_project_cap
from .contacts import text_to_contacts
from .plain import (Contact, Count, Direction, Edition, EditionInfo, FieldOfResearch, Partner, Requirement, Source,
                    SourceFile, Years)
from ..structure.outline import Node
from .partners import find_partner
from ..text import clean, strip_trailing_punct


def source_of(node: Node, needle: str | None = None) -> Source:
    """Provenance of needle inside node's paragraph (the node's whole text when needle is None)."""
    p = node.paragraph
    if p is None:
        return Source(text=needle or node.text)
    if needle is None:
        return Source(text=node.text, locations=p.locate(node.offset, len(p.text)))
    return Source(text=needle, locations=p.find(needle, node.offset))


def source_in(nodes: list[Node], needle: str) -> Source:
    """Provenance of needle in whichever of nodes holds it; a needle that runs over several paragraphs (a
    contact clause continued on the next lines) is located piece by piece, each in the node holding it; a
    field's label counts as its node's text (中方联系人：…)."""
    squeezed = re.sub(r"\s+", "", needle)
    for node in nodes:
        if squeezed and squeezed in re.sub(r"\s+", "", node.text):
            return source_of(node, needle)
    locations = []
    for piece in (p for p in needle.split("\n") if p.strip()):
        bare = re.sub(r"\s+", "", piece)
        node = next((n for n in nodes if bare and bare in re.sub(r"\s+", "", n.text)), None)
        if node is not None:
            locations.extend(loc for loc in source_of(node, piece).locations if loc not in locations)
            continue
        node = next((n for n in nodes if bare and n.paragraph is not None and bare in re.sub(r"\s+", "", own_text(n))),
                    None)
        if node is not None:  # the piece starts with the field's label
            locations.extend(loc for loc in node.paragraph.find(piece, 0) if loc not in locations)
    return Source(text=needle, locations=locations)


def own_text(node: Node) -> str:
    """A node's words as printed: a field's label too (`中方联系人：王芳，…` names whose contact follows)."""
    if node.kind == "field" and node.paragraph is not None and node.label:
        return node.paragraph.text.strip()
    return node.text


def budget_words(text: str) -> str:
    """A budget field's words without a per-project cap set beside the budget, so that the budget is read and
    not the cap: '800 万元人民币（每个项目不超过 200 万元）' → '800 万元人民币'; '（每个项目不超过 300 万元）共 1500 万元'
    → '共 1500 万元'."""
    cap = parse_per_project_cap(text)
    start = text.find(cap.text) if cap else -1
    if start < 0:
        return text
    before, after = text[:start], text[start + len(cap.text):]
    if re.search(r"[（(][^）)]*$", before) and re.match(r"^[^（(]*?[）)]", after):  # in brackets: drop them too
        before = re.sub(r"[（(][^）)]*$", "", before)
        after = re.sub(r"^[^（(]*?[）)]", "", after)
    before = re.sub(r"[，,；;、\s]+$", "", before)
    after = re.sub(r"^[，,；;、\s]+", "", after) if not before.strip() else after
    return before + after


def _fields(fld: Node | None) -> tuple[list[FieldOfResearch], bool, str | None]:
    """Fields of research: numbered items, or an inline list, or 不限领域."""
    if fld is None:
        return [], False, None
    items = [c for c in fld.children if c.kind == "item"]
    if items:
        out = []
        for it in items:
            parts = values.parse_field_item(it.text)
            more = [c.text for c in it.children if c.kind == "paragraph"]
            description = "\n".join(filter(None, [parts.description, *map(clean, more)])) or None
            out.append(FieldOfResearch(name=parts.name, topics=parts.topics, description=description,
                                       source=source_of(it)))
        intro = "\n".join(c.text for c in fld.children if c.kind == "paragraph") or None
        return out, False, clean(fld.text + ("\n" + intro if intro else "")) or None
    text = "\n".join(filter(None, [fld.text] + [c.text for c in fld.children if c.kind == "paragraph"]))
    if values.is_unrestricted(text):
        return [], True, None
    names = values.parse_field_list(text)
    if any(len(n) > 40 for n in names):  # prose, not a list: keep the words, invent no field names
        return [], False, clean(text)
    return [FieldOfResearch(name=n, source=source_in([fld, *fld.children], n)) for n in names], False, None


def _requirements(fld: Node | None) -> list[Requirement]:
    if fld is None:
        return []
    out = []
    for child in fld.children:
        if child.kind == "item":
            continuation = [c.text for c in child.children if c.kind == "paragraph"]
            text = "\n".join([child.text, *continuation])
            source = source_of(child)
            for c in child.children:  # continuation paragraphs belong to the item's provenance
                source.locations.extend(source_of(c).locations)
            source.text = text
            out.append(Requirement(number=int(child.number), text=clean(text), source=source))
    if not out:
        text = "\n".join(filter(None, [fld.text] + [c.text for c in fld.children]))
        if text and not re.fullmatch(r"\s*无\s*[。.]?\s*", text):
            out.append(Requirement(number=None, text=clean(text), source=source_of(fld)))
    return out


def direction_to_record(node: Node, warnings: list[str]) -> Direction:
    fields_by_kind: dict[str, Node] = {}
    for child in node.children:
        if child.kind == "field" and child.field not in fields_by_kind:
            fields_by_kind[child.field] = child
    all_nodes = list(node.walk())
    where = f"direction {node.number}"
    provenance: dict[str, Source] = {"title": source_of(node)}

    # agreements: the 《》 titles of the agreements field (its own text and continuation paragraphs)
    agr_node = fields_by_kind.get("agreements")
    agr_text = agr_node.all_text() if agr_node else ""
    agreements = values.parse_agreements(agr_text)
    for i, title in enumerate(agreements):
        provenance[f"agreements[{i}]"] = source_in(list(agr_node.walk()), title)
    unclosed = values.unclosed_agreement(agr_text)
    if unclosed:  # its source quotes the 《 with no 》: `agreement_unclosed` asks a person where it ends
        provenance[f"agreements[{len(agreements)}]"] = source_in(list(agr_node.walk()), "《" + unclosed)
        agreements.append(unclosed)
        warnings.append(f"{where}: the agreement 《{unclosed} has no closing 》: taken to the end of its field")

    partner = find_partner(node.text, agr_text)
    if partner is None:
        warnings.append(f"{where}: no partner country or organisation recognised in the title")
    elif partner.name in node.text:
        provenance["partner"] = source_of(node, partner.name)
    else:  # named only in an agreement
        provenance["partner"] = source_in(list(agr_node.walk()), partner.name)

    fields, unrestricted, fields_text = _fields(fields_by_kind.get("fields"))
    if unrestricted:  # 不限领域: the words that say so are the value's source
        provenance["fields"] = source_of(fields_by_kind["fields"])

    count = None
    count_node = fields_by_kind.get("project_count")
    if count_node:
        parsed = values.parse_project_count(count_node.all_text())
        if parsed:
            count = Count(min=parsed.min, max=parsed.max, approximate=parsed.approximate,
                          text=strip_trailing_punct(clean(count_node.text)))
            provenance["project_count"] = source_of(count_node)
        else:
            warnings.append(f"{where}: project count not understood: {count_node.text!r}")
    else:
        warnings.append(f"{where}: no project-count field")

    budget = budget_text = None
    budget_node = fields_by_kind.get("budget")
    if budget_node:
        amount = values.parse_amount(budget_words(budget_node.all_text()))  # the cap beside it is not the budget
        if amount:  # the amount as printed, not the whole field (which may go on to a cap per project)
            budget, budget_text = amount.yuan, amount.text
            provenance["budget_cny"] = source_in(list(budget_node.walk()), amount.text)
        else:
            warnings.append(f"{where}: budget not understood: {budget_node.text!r}")
    else:
        warnings.append(f"{where}: no budget field")

    requirements = _requirements(fields_by_kind.get("requirements"))
    duration = values.max_duration_years([r.text for r in requirements])
    for r in requirements:
        if duration is not None and values.parse_duration(r.text):
            provenance["max_duration_years"] = r.source
            break

    cap = None  # per project: in the budget field (…，每个项目不超过 500 万元) or a requirement
    for cap_node in [*(list(budget_node.walk()) if budget_node else []),
                     *(list(fields_by_kind["requirements"].walk()) if "requirements" in fields_by_kind else [])]:
        found = parse_per_project_cap(cap_node.text)
        if found:
            cap = found.yuan
            provenance["per_project_cap_cny"] = source_of(cap_node, found.text)
            break

    direction_text = "\n".join(own_text(n) for n in all_nodes[1:])
    contacts = []
    for c in text_to_contacts(direction_text, partner.iso_code if partner else None):  # phone region
        contacts.append(Contact(name=c.name, honorific=c.honorific, phone=c.phone, phone_extension=c.phone_extension,
                                phone_text=c.phone_text, phone_region_source=c.phone_region_source, side=c.side,
                                email=c.email, source=source_in(all_nodes, c.clause)))
        if c.phone_text and not c.phone:
            warnings.append(f"{where}: phone number {c.phone_text!r} is not a valid number")

    urls: list[str] = []
    for n in all_nodes[1:]:
        for url, _, _ in values.find_urls(n.text):
            if url not in urls:
                provenance[f"urls[{len(urls)}]"] = source_of(n, url)
                urls.append(url)

    derived = direction_facts({"budget_cny": budget, "project_count": count.model_dump() if count else None,
                               "requirements": [r.model_dump() for r in requirements],
                               "max_duration_years": duration})
    return Direction(
        id=str(node.number), title=clean(node.text),
        partner=Partner(name=partner.name if partner else None, iso_code=partner.iso_code if partner else None,
                        organisation=partner.organisation if partner else None),
        agreements=agreements, fields=fields, fields_unrestricted=unrestricted, fields_text=fields_text,
        project_count=count, budget_cny=budget, budget_text=budget_text, per_project_cap_cny=cap,
        requirements=requirements,
        max_duration_years=duration, contacts=contacts, urls=urls,
        pages=node.paragraph.pages if node.paragraph else [],
        provenance=provenance, derived=derived,
    )


# --- the preamble's totals ------------------------------------------------------------------

PREAMBLE_PATTERNS = {
    "direction_count": re.compile(r"(\d+)\s*个\s*(?:指南)?(?:方向|任务方向|指南方向)"),
    "partner_count": re.compile(r"(?:与|同)\s*(\d+)\s*个\s*(?:国家和地区|国家、地区|国家|合作方|伙伴)"),
    "project_count": re.compile(r"项目(?:任务)?(?:数|数量|总数)\s*(?:为|约|共)?\s*([^，。；,]*?[个项](?:左右)?)"),
    # the amount itself is read by values.parse_amount, as a direction's budget is (两亿元, 2.578 亿元 …)
    "budget_cny": re.compile(r"(?:国拨经费|经费|资金)(?:总概算|总额|总计|合计|共计|概算)?\s*(?:为|约|共)?\s*"
                             r"([^，。；;]*?元)"),
    "duration_years": re.compile(r"(?:实施周期|执行期|周期)[^。；]*?年"),
}


def preamble_totals(nodes: list[Node]) -> tuple[dict, dict[str, Source]]:
    """The totals a preamble states, from the paragraphs before the first direction."""
    found: dict = {}
    provenance: dict[str, Source] = {}
    for node in nodes:
        norm = values.Normalised.of(node.text)  # NFKC, and 十个方向 → 10个方向 as in the directions
        t = norm.text
        for key, pattern in PREAMBLE_PATTERNS.items():
            if key in found:
                continue
            m = pattern.search(t)
            if not m:
                continue
            value = None
            span = norm.printed(m.start(), m.end())  # the words as printed, for the provenance
            if key in ("direction_count", "partner_count"):
                value = int(m.group(1))
            elif key == "project_count":
                parsed = values.parse_project_count(m.group(1))
                value = parsed and Count(min=parsed.min, max=parsed.max, approximate=parsed.approximate,
                                         text=span)
            elif key == "budget_cny":
                amount = values.amount_in(norm, m.start(1))  # the same rule as a direction's budget
                value = amount and amount.yuan
                span = amount.text if amount else span
            elif key == "duration_years":
                parsed = values.parse_duration(m.group(0))
                value = parsed and Years(min=parsed.min, max=parsed.max)
            if value is not None:
                found[key] = value
                provenance[key] = source_of(node, span)
    return found, provenance


def tree_to_edition(root: Node, source: SourceFile, edition_id: str | None = None) -> Edition:
    """Pure: document tree (and the file it came from) → Edition."""
    warnings: list[str] = []
    titles = [n for n in root.children if n.kind == "title"]
    title = clean("".join(n.text for n in titles))
    directions = [n for n in root.walk() if n.kind == "direction"]
    preamble = []
    for n in root.walk():
        if n.kind == "direction":
            break
        if n.kind in ("paragraph", "section", "title"):
            preamble.append(n)
    totals, provenance = preamble_totals(preamble)
    # title only: a preamble also names other editions ("…2021 年度第二批…" in a 2022 call)
    year, batch = values.parse_year_batch(title)
    if year is None:
        warnings.append("title: no year found, so the edition id is unknown; give it with --edition")
    if titles:
        provenance["title"] = source_of(titles[0])
    records = [direction_to_record(n, warnings) for n in directions]
    seen = set()
    for r in records:
        if r.id in seen:
            warnings.append(f"direction {r.id}: the number occurs more than once")
        seen.add(r.id)
    eid = edition_id or (f"{year}-{batch}" if year and batch else (str(year) if year else None)) or "unknown"
    info = EditionInfo(
        id=eid, year=year, batch=batch, title=title, source=source,
        direction_count=totals.get("direction_count"), partner_count=totals.get("partner_count"),
        project_count=totals.get("project_count"), budget_cny=totals.get("budget_cny"),
        duration_years=totals.get("duration_years"), provenance=provenance,
    )
    for key in ("direction_count", "partner_count", "project_count", "budget_cny"):
        if totals.get(key) is None:
            warnings.append(f"preamble: the stated {key.replace('_', ' ')} was not found")
    return Edition(edition=info, directions=records, warnings=warnings)
