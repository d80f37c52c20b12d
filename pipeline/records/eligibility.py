"""Who may apply: structured rules derived from a direction's requirements.

Each requirement is split into clauses (at ；;。 and ，) and every clause is read for:
- who may lead (牵头 … 必须/须/应 为企业), who may apply (仅限/只限 高校、科研院所),
  who may not (不能/不得 为企业);
- a joint application on both sides (联合申报, 分别向本国 … 提交, 单方申报无效);
- an IP agreement (知识产权协议), matching funds (配套资金);
- constraints on the foreign partner (日方合作者必须是 … RIKEN …; 仅限在日本境内注册的企业;
  须为 … 地平线 2020 … 合作伙伴);
- the duration limit: the direction's own `max_duration_years` (so a corrected duration is the one used).

Every rule keeps the requirement number and the clause it came from. Encouragements
(鼓励 …) are recorded as such and never as obligations. A records module, run once per
direction by `derived.py` after corrections; consumers read the stored result
(`direction["derived"]["eligibility"]`), never this parser.
"""

from __future__ import annotations

import re
from .plain import DirectionEligibility, EligibilityRule  # the contract's twins (plain.py)

ORG_TYPES = {
    "enterprise": r"企业|公司",
    "university": r"高校|高等院校|高等学校|大学",
    "research_institute": r"科研院所|科研机构|研究机构|研究院所|科研单位|研究所",
}
ALL_TYPES = tuple(ORG_TYPES)
REQUIRED = r"(?:必须|须|需|需要|应|应当|要|务必)"
ONLY = r"(?:仅限|只限|仅限于|只限于|限于|只能|仅能|仅为|只能是|仅可)"
NOT = r"(?:不能|不得|不可|不允许|不应|禁止|不可以)"
FOREIGN_SIDE = r"(?:外方|[^\s，。；、（(中我]{1,3}方)"  # 日方, 以方, 欧方, 丹方, 挪方, 外方 …
CHINESE_SIDE = r"(?:中方|我方)"


def _rule(kind: str, requirement: int | None, text: str, side: str | None = None, org_types: tuple[str, ...] = (),
         detail: str | None = None, encouraged: bool = False) -> EligibilityRule:
    """One rule, in the contract's model (kinds: lead | only | excluded | joint_application | ip_agreement |
    matching_funds | partner | programme; side: china | partner | None for both or unspecified)."""
    return EligibilityRule(kind=kind, side=side, org_types=list(org_types), detail=detail, encouraged=encouraged,
                           requirement=requirement, text=text)


def org_types_in(text: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in ORG_TYPES.items() if re.search(pattern, text))


def _side(clause: str) -> str | None:
    """The side a clause is about: the one its subject names (中方申报单位 …, 日方合作者 …)."""
    clause = re.sub(r"^\s*(?:且|并|同时|此外)\s*", "", clause)
    if re.match(rf"^(?:项目)?{CHINESE_SIDE}", clause):
        return "china"
    if re.match(rf"^(?:项目)?{FOREIGN_SIDE}", clause):
        return "partner"
    return None


def sentences_of(text: str) -> list[list[str]]:
    """Sentences (split at ；;。) of clauses (split at ，; a list of org types uses 、 and stays whole)."""
    return [[c.strip() for c in re.split(r"[，,]", sentence) if c.strip()]
            for sentence in re.split(r"[；;。\n]", text) if sentence.strip()]


ENCOURAGE = r"鼓励|欢迎|优先|提倡"


def clause_rules(clause: str, number: int | None, whole: str, encouraged: bool = False) -> list[EligibilityRule]:
    """Rules in one clause; `encouraged` when an earlier clause of its sentence encourages."""
    rules: list[EligibilityRule] = []
    encouraged = bool(re.search(ENCOURAGE, clause)) or (encouraged and not re.search(rf"{REQUIRED}|{ONLY}|{NOT}", clause))
    side = _side(clause)
    types = org_types_in(clause)

    # who may lead
    if re.search(r"牵头", clause) and types and re.search(rf"{REQUIRED}|{ONLY}", clause) and not encouraged:
        rules.append(_rule("lead", number, whole, side, types))
    elif re.search(rf"(?:由|应由|须由|必须由){'|'.join(ORG_TYPES.values())}", clause) and "牵头" in clause:
        rules.append(_rule("lead", number, whole, side, types))

    # only some kinds of organisation may apply / take part
    m = re.search(rf"{ONLY}(?:在[^，。；]*?注册的)?(?P<what>[^，。；]*)", clause)
    if m and org_types_in(m.group("what")) and not encouraged:
        registered = re.search(r"在(?P<where>[^，。；]*?)(?:境内)?注册", clause)
        what = " or ".join(org_types_in(m.group("what")))
        detail = f"{what} registered in {registered.group('where')}" if registered else None
        kind = "partner" if side == "partner" else "only"
        rules.append(_rule(kind, number, whole, side, org_types_in(m.group("what")), detail))

    # kinds of organisation excluded: "… 不能为企业" or "企业不得作为申报单位"
    m = re.search(rf"{NOT}(?:为|是|作为|由)?(?P<what>[^，。；]*)", clause)
    subject = re.search(rf"(?P<who>(?:{'|'.join(ORG_TYPES.values())})(?:[、和及与](?:{'|'.join(ORG_TYPES.values())}))*)"
                        rf"\s*{NOT}", clause)
    if m and org_types_in(m.group("what")):
        rules.append(_rule("excluded", number, whole, side, org_types_in(m.group("what"))))
    elif subject:
        rules.append(_rule("excluded", number, whole, side, org_types_in(subject.group("who"))))

    # the foreign partner must be someone in particular
    if side == "partner" and re.search(rf"{REQUIRED}(?:是|为)", clause) and not any(r.kind == "partner" for r in rules):
        m = re.search(rf"{REQUIRED}(?:是|为)(?P<what>.+)$", clause)
        rules.append(_rule("partner", number, whole, side, org_types_in(m.group("what")), m.group("what").strip()))

    # participation in a programme (地平线 2020 …)
    m = re.search(r"(地平线\s*20\d\d|Horizon\s*20\d\d|Horizon\s+Europe|地平线欧洲)", clause)
    if m and re.search(rf"{REQUIRED}|{ONLY}", clause) and re.search(r"合作伙伴|participants|共同申请", clause):
        rules.append(_rule("programme", number, whole, side, (), re.sub(r"\s+", " ", m.group(1))))

    if re.search(r"联合申报|共同申报|联合申请|共同申请|分别向本国|单方申报[^，。；]*无效", clause):
        rules.append(_rule("joint_application", number, whole, None, (), None, encouraged))
    if re.search(r"知识产权", clause) and re.search(rf"{REQUIRED}|签署|签订", clause):
        rules.append(_rule("ip_agreement", number, whole, side, (), None, encouraged))
    if re.search(r"配套资金|配套经费|自筹资金", clause):
        ratio = "equal to the public funding" if re.search(r"等额|1\s*[:：]\s*1", clause) else None
        rules.append(_rule("matching_funds", number, whole, side, types or (), ratio, encouraged))
    return rules


def requirements_to_eligibility(requirements: list[dict],
                                max_duration_years: float | int | None = None) -> DirectionEligibility:
    """Requirements ({number, text}) of one direction (and its duration limit) → its eligibility rules and a summary."""
    rules: list[EligibilityRule] = []
    for req in requirements:
        text = req.get("text") or ""
        seen: set[tuple] = set()
        for sentence in sentences_of(text):
            encouraged = False
            for clause in sentence:
                found = clause_rules(clause, req.get("number"), text, encouraged)
                encouraged = encouraged or bool(re.search(ENCOURAGE, clause))
                for rule in found:
                    key = (rule.kind, rule.side, tuple(rule.org_types), rule.detail)
                    if key not in seen:  # one rule per kind and requirement, even if clauses repeat it
                        seen.add(key)
                        rules.append(rule)

    may_lead = set(ALL_TYPES)
    for rule in rules:
        if rule.encouraged or rule.side == "partner":
            continue
        if rule.kind == "lead":
            may_lead &= set(rule.org_types)
        elif rule.kind == "only":
            may_lead &= set(rule.org_types)
        elif rule.kind == "excluded":
            may_lead -= set(rule.org_types)
    obligations = [r for r in rules if not r.encouraged]
    return DirectionEligibility(
        rules=rules,
        may_lead=[t for t in ALL_TYPES if t in may_lead],
        joint_application_required=any(r.kind == "joint_application" for r in obligations),
        ip_agreement_required=any(r.kind == "ip_agreement" for r in obligations),
        matching_funds_required=any(r.kind == "matching_funds" for r in obligations),
        partner_constraints=[r.detail or r.text for r in rules if r.kind in ("partner", "programme")],
        max_duration_years=max_duration_years,
    )


def narrowing_rules(eligibility: DirectionEligibility) -> list[EligibilityRule]:
    """The obligations on the Chinese side that narrow who may lead."""
    return [r for r in eligibility.rules if not r.encouraged and r.side != "partner"
            and r.kind in ("lead", "only", "excluded")]


def refusing_rule(eligibility: DirectionEligibility) -> EligibilityRule | None:
    """The obligation on the Chinese side that narrows who may lead (the reason a kind may not), if any."""
    return next(iter(narrowing_rules(eligibility)), None)


def eligibility_of(direction: dict) -> DirectionEligibility:
    """Who may apply to a direction (its requirements and duration, as an edition.json direction holds them)."""
    return requirements_to_eligibility(direction.get("requirements") or [], direction.get("max_duration_years"))
