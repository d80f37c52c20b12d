"""The partner names table (`data/partner_names.tsv`): Chinese names of territories and organisations.

Read here, in the base, because more than the records need it: the OCR reader puts back a character a
partner's name lacks (`reading/ocr/gaps.py`). What the names mean (ISO codes, matching in text) is
`records/partners.py`, which also writes the table afresh from CLDR and organisations.yaml.
"""

from __future__ import annotations

from functools import lru_cache

from . import DATA

TABLE = DATA / "partner_names.tsv"


@lru_cache(maxsize=1)
def partner_name_table() -> tuple[dict[str, str], dict[str, str]]:
    """(territory name → ISO code, organisation name → organisation code), as the table lists them."""
    tables: dict[str, dict[str, str]] = {"territory": {}, "organisation": {}}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, name, code = line.split("\t")
            tables[kind][name] = code
    return tables["territory"], tables["organisation"]
