"""Money per project: the cap a guideline puts on one project's funding.

A direction states its budget for all its projects (`共拟支持经费：2000 万元`); some also cap
what one project may get, in the budget field or a requirement:

    每个项目（国拨经费）不超过 500 万元      单个项目资助额度不超过 300 万元
    每项国拨经费原则上不超过伍佰万元        单项资助最高为 0.05 亿元

`parse_per_project_cap` reads such a sentence: a per-project subject (每个项目, 单个项目,
每项, 单项 …), then within the same clause an upper bound (不超过, 最高, 上限 …) and an
amount in 元, 万元 or 亿元 (Arabic or Chinese numerals, full- or half-width), read by the one
amount rule budgets and totals are read with (`values.AMOUNT`, `values.amount_value`). A sum
that is not a bound (每个项目资助 300 万元左右) is no cap: a wrong cap is worse than none.

>>> parse_per_project_cap("每项国拨经费原则上不超过伍佰万元")
Cap(yuan=5000000, text='每项国拨经费原则上不超过伍佰万元')
>>> parse_per_project_cap("每个项目不超过1亿2000万元").yuan
120000000
>>> parse_per_project_cap("每个项目资助 300 万元左右") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .values import AMOUNT, Normalised, amount_value

PER_PROJECT = r"(?:每(?:一|1)?个|每(?:一|1)?项|单个|单项|单一)\s*(?:合作)?(?:项目|课题)?"  # 每一个 reads 每1个 once numerals are digits
UPPER_BOUND = r"(?:原则上|一般|最多)?\s*(?:不超过|不高于|不多于|不得超过|不应超过|不得高于|以内为|最高为?|上限为?|至多)"
CAP = re.compile(rf"{PER_PROJECT}[^。；;\d]{{0,24}}?{UPPER_BOUND}\s*(?:为|是)?\s*(?P<amount>{AMOUNT.pattern})")


@dataclass(frozen=True)
class Cap:
    yuan: int
    text: str  # the words it was read from, as printed


def parse_per_project_cap(text: str) -> Cap | None:
    """The most one project may get, with the words it was read from; None when the text states no such cap.

    >>> parse_per_project_cap("每个项目（国拨经费）不超过500万元。")
    Cap(yuan=5000000, text='每个项目（国拨经费）不超过500万元')
    """
    norm = Normalised.of(text)
    for m in CAP.finditer(norm.text):
        value = amount_value(m)  # CAP embeds AMOUNT, groups and all: the 亿 part of 1亿2000万元 counts
        if value:
            return Cap(value, norm.printed(m.start(), m.end()))
    return None
