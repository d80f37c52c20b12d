"""Diff two editions: what changed from one year (or batch) to the next.

Directions are matched by partner and programme — partner ISO code, title similarity
and shared agreements — never by number, since numbers shift when a direction is added,
dropped or reordered. Within a matched pair, list items (agreements, requirements) are
aligned by text, so a reworded requirement shows the words that changed.

`diff_editions(old, new)` is the core (two edition dicts in, a `DiffReport` out).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from ..models import (ContactChange, DiffReport, DiffSide, DirectionChanges, DirectionDiff, DirectionRef, Edit,
                     EligibilityChange, FieldChange, FieldsDiff, ListDiff, Match, Reworded, SetDiff, TopicChange,
                     ContactsDiff)
from ..records.derived import stored_eligibility
from ..records.eligibility import ALL_TYPES
from ..records.partners import partner_code

MATCH_THRESHOLD = 0.45  # below this, two directions are different programmes
REWORD_THRESHOLD = 0.5  # list items at least this similar are one item reworded


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def similarity(a: str | None, b: str | None) -> float:
    a, b = _squeeze(a), _squeeze(b)
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _agreement_key(title: str) -> str:
    return re.sub(r"\d+", "#", _squeeze(title))  # the year in 关于 2021 年度 … changes every year


def _partner_code(direction: dict) -> str | None:
    return partner_code(direction.get("partner"))


def match_score(old: dict, new: dict) -> float | None:
    """How likely two directions are the same programme (0…1), None when the partners differ."""
    iso_old = _partner_code(old)
    iso_new = _partner_code(new)
    if iso_old and iso_new and iso_old != iso_new:
        return None
    title = similarity(old.get("title"), new.get("title"))
    agreements_old = {_agreement_key(a) for a in old.get("agreements") or []}
    agreements_new = {_agreement_key(a) for a in new.get("agreements") or []}
    union = agreements_old | agreements_new
    shared = len(agreements_old & agreements_new) / len(union) if union else 0.0
    partner = 1.0 if iso_old and iso_old == iso_new else 0.0
    return round(0.3 * partner + 0.45 * title + 0.25 * shared, 4)


def match_directions(old: list[dict], new: list[dict]) -> list[tuple[int, int, float]]:
    """Pairs (old index, new index, score), best first, each direction used at most once."""
    candidates = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            score = match_score(a, b)
            if score is not None and score >= MATCH_THRESHOLD:
                candidates.append((score, i, j))
    pairs, used_old, used_new = [], set(), set()
    for score, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_old and j not in used_new:
            pairs.append((i, j, score))
            used_old.add(i)
            used_new.add(j)
    return sorted(pairs, key=lambda p: p[1])


# --- word-level edits -------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9.@:/_%+\-]+|\s+|.", re.S)


def tokens(text: str) -> list[str]:
    """Latin words and numbers whole, every CJK character on its own."""
    return _TOKEN.findall(text or "")


def word_edits(old: str, new: str) -> list[Edit]:
    """The words that changed between two versions of a text."""
    a, b = tokens(old), tokens(new)
    edits = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            edits.append(Edit(op=op, old="".join(a[i1:i2]).strip() or None, new="".join(b[j1:j2]).strip() or None))
    return [e for e in edits if e.old or e.new]


def list_diff(old: list[str], new: list[str]) -> ListDiff:
    """Items added, removed and reworded; equal texts (white space aside) are unchanged."""
    old_left = [t for t in old if _squeeze(t) not in {_squeeze(n) for n in new}]
    new_left = [t for t in new if _squeeze(t) not in {_squeeze(o) for o in old}]
    pairs = sorted(((similarity(o, n), i, j) for i, o in enumerate(old_left) for j, n in enumerate(new_left)),
                   reverse=True)
    reworded, used_old, used_new = [], set(), set()
    for score, i, j in pairs:
        if score >= REWORD_THRESHOLD and i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            reworded.append((j, Reworded(old=old_left[i], new=new_left[j], similarity=round(score, 3),
                                         edits=word_edits(old_left[i], new_left[j]))))
    return ListDiff(added=[t for j, t in enumerate(new_left) if j not in used_new],
                    removed=[t for i, t in enumerate(old_left) if i not in used_old],
                    reworded=[r for _, r in sorted(reworded, key=lambda x: x[0])])


def set_diff(old: list[str], new: list[str]) -> SetDiff:
    return SetDiff(added=[x for x in new if x not in old], removed=[x for x in old if x not in new])


def value_change(field: str, old, new) -> FieldChange | None:
    if old == new:
        return None
    diff = pct = None
    if isinstance(old, (int, float)) and isinstance(new, (int, float)) and not isinstance(old, bool):
        diff = new - old
        try:
            pct = round(100.0 * diff / old, 2) if old else None
        except OverflowError:  # a change of 10^400 (a misread budget) has no percentage a float can hold
            pct = None
    return FieldChange(field=field, old=old, new=new, diff=diff, pct=pct)


def _count(direction: dict) -> dict | None:
    pc = direction.get("project_count")
    return {"min": pc.get("min"), "max": pc.get("max")} if pc else None


def fields_diff(old: list[dict], new: list[dict]) -> FieldsDiff:
    old_by, new_by = {_squeeze(f["name"]): f for f in old}, {_squeeze(f["name"]): f for f in new}
    topics = []
    for key in old_by.keys() & new_by.keys():
        change = set_diff(old_by[key].get("topics") or [], new_by[key].get("topics") or [])
        if change.added or change.removed:
            topics.append(TopicChange(field=new_by[key]["name"], added=change.added, removed=change.removed))
    return FieldsDiff(added=[f["name"] for k, f in new_by.items() if k not in old_by],
                      removed=[f["name"] for k, f in old_by.items() if k not in new_by],
                      topics_changed=sorted(topics, key=lambda t: [_squeeze(f["name"]) for f in new].index(_squeeze(t.field))))


def _contact_key(contact: dict) -> str:
    return (contact.get("email") or "").lower() or _squeeze(contact.get("name")).lower()


def contacts_diff(old: list[dict], new: list[dict]) -> ContactsDiff:
    """Contacts matched by e-mail, else by name; what was added, removed, or changed in a matched one."""
    unmatched_new = list(new)
    changed, removed = [], []
    for o in old:
        partner = next((n for n in unmatched_new if _contact_key(n) == _contact_key(o)), None) or next(
            (n for n in unmatched_new if o.get("name") and _squeeze(n.get("name")) == _squeeze(o.get("name"))), None)
        if partner is None:
            removed.append(o.get("name") or o.get("email"))
            continue
        unmatched_new.remove(partner)
        for field in ("name", "phone", "phone_extension", "email"):
            if (o.get(field) or None) != (partner.get(field) or None):
                changed.append(ContactChange(contact=partner.get("name") or partner.get("email"), field=field,
                                             old=o.get(field), new=partner.get(field)))
    return ContactsDiff(added=[n.get("name") or n.get("email") for n in unmatched_new], removed=removed,
                        changed=changed)


def _contact_words(*directions: dict) -> list[str]:
    """What identifies the contacts of directions in a requirement's text: names, phones as written, e-mails."""
    words = {w for d in directions for c in d.get("contacts") or []
             for w in (c.get("name"), c.get("phone_text"), c.get("email")) if w}
    return sorted(words, key=len, reverse=True)


def _without_contacts(text: str, words: list[str]) -> str:
    out = _squeeze(text)
    for word in words:
        out = out.replace(_squeeze(word), "§")
    return out


def requirements_diff(old: dict, new: dict, contacts: ContactsDiff) -> ListDiff:
    """Requirements added, removed, reworded — less the contact lines the contacts diff already reports.

    A requirement that differs only in a contact's name, phone or e-mail is that contact's change,
    reported once, as a contact; so is a requirement that names only a contact added or removed.
    """
    found = list_diff([r["text"] for r in old.get("requirements") or []],
                      [r["text"] for r in new.get("requirements") or []])
    words = _contact_words(old, new)
    if not words:
        return found
    moved = {_squeeze(n) for n in [*contacts.added, *contacts.removed] if n}

    def only_contacts(text: str) -> bool:
        return any(_squeeze(n) in _squeeze(text) for n in moved) and bool(re.search(r"联系|contact", text, re.I))

    return ListDiff(added=[t for t in found.added if not only_contacts(t)],
                    removed=[t for t in found.removed if not only_contacts(t)],
                    reworded=[r for r in found.reworded
                              if _without_contacts(r.old, words) != _without_contacts(r.new, words)])


def _requirement_fate(text: str, old: dict, new: dict) -> tuple[str | None, str | None]:
    """What happened to the requirement behind a rule: removed, reworded or added, and its text."""
    old_texts = [_squeeze(r["text"]) for r in old.get("requirements") or []]
    new_texts = [_squeeze(r["text"]) for r in new.get("requirements") or []]
    key = _squeeze(text)
    if key in old_texts and key not in new_texts:
        best = max((similarity(text, t) for t in new_texts), default=0.0)
        return ("reworded", None) if best >= REWORD_THRESHOLD else ("removed", text)
    if key in new_texts and key not in old_texts:
        best = max((similarity(text, t) for t in old_texts), default=0.0)
        return ("reworded", text) if best >= REWORD_THRESHOLD else ("added", text)
    return None, text


def eligibility_changes(old: dict, new: dict) -> list[EligibilityChange]:
    """Who may lead, and what applicants must do, before and after (the eligibility each edition stores)."""
    a, b = stored_eligibility(old), stored_eligibility(new)
    ref = {"direction": new.get("id"), "partner_iso": (new.get("partner") or {}).get("iso_code")}
    changes = []

    def because(rules_side, kinds, org_type=None):
        """The rule on one side that explains the change, and what happened to its requirement."""
        for rule in rules_side.rules:
            bars = org_type is None or (org_type in rule.org_types if rule.kind == "excluded"
                                        else org_type not in rule.org_types)  # lead / only: the others are barred
            if rule.kind in kinds and not rule.encouraged and rule.side != "partner" and bars:
                fate, text = _requirement_fate(rule.text, old, new)
                return {"requirement": rule.requirement, "requirement_change": fate, "text": text}
        return {}

    for org in ALL_TYPES:
        was, now = org in a.may_lead, org in b.may_lead
        if was != now:
            # may now lead: the old rule that barred it went; may no longer: a new rule bars it
            why = because(a if now else b, ("lead", "only", "excluded"), org)
            changes.append(EligibilityChange(**ref, what="may_lead", org_type=org, old=was, new=now, **why))
    for what, kind in (("joint_application_required", "joint_application"), ("ip_agreement_required", "ip_agreement"),
                       ("matching_funds_required", "matching_funds")):
        was, now = getattr(a, what), getattr(b, what)
        if was != now:
            why = because(b if now else a, (kind,))
            changes.append(EligibilityChange(**ref, what=what, old=was, new=now, **why))
    if a.partner_constraints != b.partner_constraints:
        changes.append(EligibilityChange(**ref, what="partner_constraints", old=a.partner_constraints,
                                         new=b.partner_constraints))
    return changes


def direction_changes(old: dict, new: dict) -> DirectionChanges:
    values = [value_change("title", old.get("title"), new.get("title")),
              value_change("partner", (old.get("partner") or {}).get("name"), (new.get("partner") or {}).get("name")),
              value_change("budget_cny", old.get("budget_cny"), new.get("budget_cny")),
              value_change("per_project_cap_cny", old.get("per_project_cap_cny"), new.get("per_project_cap_cny")),
              value_change("project_count", _count(old), _count(new)),
              value_change("max_duration_years", old.get("max_duration_years"), new.get("max_duration_years")),
              value_change("fields_unrestricted", old.get("fields_unrestricted"), new.get("fields_unrestricted"))]
    contacts = contacts_diff(old.get("contacts") or [], new.get("contacts") or [])
    return DirectionChanges(
        values=[v for v in values if v],
        agreements=list_diff(old.get("agreements") or [], new.get("agreements") or []),
        fields=fields_diff(old.get("fields") or [], new.get("fields") or []),
        requirements=requirements_diff(old, new, contacts),
        contacts=contacts,
        urls=set_diff(old.get("urls") or [], new.get("urls") or []),
    )


def _ref(direction: dict) -> DirectionRef:
    partner = direction.get("partner") or {}
    return DirectionRef(id=direction.get("id"), title=direction.get("title"), partner_name=partner.get("name"),
                        partner_iso=partner.get("iso_code"), budget_cny=direction.get("budget_cny"))


def _side(edition: dict, path: str | None) -> DiffSide:
    info = edition["edition"]
    pc = info.get("project_count")
    return DiffSide(id=info.get("id"), title=info.get("title"), path=path,
                    sha256=(info.get("source") or {}).get("sha256"), budget_cny=info.get("budget_cny"),
                    project_count={"min": pc.get("min"), "max": pc.get("max")} if pc else None,
                    direction_count=info.get("direction_count"), partner_count=info.get("partner_count"),
                    duration_years=info.get("duration_years"))


def _totals(old: dict, new: dict) -> list[FieldChange]:
    a, b = old["edition"], new["edition"]
    pc = lambda info: {"min": (info.get("project_count") or {}).get("min"),  # noqa: E731
                       "max": (info.get("project_count") or {}).get("max")}
    changes = [value_change("budget_cny", a.get("budget_cny"), b.get("budget_cny")),
               value_change("project_count", pc(a), pc(b)),
               value_change("direction_count", a.get("direction_count"), b.get("direction_count")),
               value_change("partner_count", a.get("partner_count"), b.get("partner_count")),
               value_change("duration_years", a.get("duration_years"), b.get("duration_years"))]
    return [c for c in changes if c]


def diff_editions(old: dict, new: dict, old_path: str | None = None, new_path: str | None = None) -> DiffReport:
    """Everything that changed from old to new."""
    old_dirs, new_dirs = old["directions"], new["directions"]
    pairs = match_directions(old_dirs, new_dirs)
    matched_old = {i for i, _, _ in pairs}
    matched_new = {j for _, j, _ in pairs}
    matching, changed, unchanged, eligibility = [], [], [], []
    for i, j, score in pairs:
        a, b = old_dirs[i], new_dirs[j]
        matching.append(Match(old_id=a.get("id"), new_id=b.get("id"), partner_iso=(b.get("partner") or {}).get("iso_code"),
                              title=b.get("title"), score=score,
                              title_similarity=round(similarity(a.get("title"), b.get("title")), 3)))
        changes = direction_changes(a, b)
        eligibility += eligibility_changes(a, b)
        entry = DirectionDiff(old=_ref(a), new=_ref(b), changes=changes)
        (changed if changes.has_changes() else unchanged).append(entry)
    added = [_ref(d) for j, d in enumerate(new_dirs) if j not in matched_new]
    removed = [_ref(d) for i, d in enumerate(old_dirs) if i not in matched_old]
    totals = _totals(old, new)
    identical = not (added or removed or changed or totals)
    return DiffReport(
        old=_side(old, old_path), new=_side(new, new_path), identical=identical,
        summary={"directions_added": len(added), "directions_removed": len(removed),
                 "directions_changed": len(changed), "directions_unchanged": len(unchanged)},
        totals=totals, added=added, removed=removed, changed=changed, eligibility=eligibility,
        unchanged=[u.new.id for u in unchanged], matching=matching)
