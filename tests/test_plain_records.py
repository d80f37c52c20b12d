"""Issue 23: extract builds the edition from plain twins of the contract (records/plain.py), and
the edition it writes is exactly what the contract (pipeline/models.py, pydantic) makes of it.

Also the partner-name table (data/partner_names.tsv): in step with CLDR and
organisations.yaml, and read the way the regex over those names read them.
"""

import json
import random
import re
import subprocess
import sys

import pytest
from conftest import EDITIONS, ROOT

from pipeline import models
from pipeline.records import partners, plain


def _model_of(twin):
    return getattr(models, twin.__name__)


@pytest.mark.parametrize("twin", plain.TWINS, ids=lambda t: t.__name__)
def test_every_twin_has_its_models_fields_in_order_with_its_defaults(twin):
    model = _model_of(twin)
    assert list(twin.FIELDS) == list(model.model_fields), \
        f"records/plain.py {twin.__name__} must have models.{model.__name__}'s fields, in its order"
    for name, default in twin.FIELDS.items():
        info = model.model_fields[name]
        if info.is_required():
            assert default is plain.REQUIRED, name
        else:
            made = default() if isinstance(default, type) else default
            expected = info.get_default(call_default_factory=True)
            expected = expected.model_dump(mode="json") if isinstance(expected, models.BaseModel) else expected
            made = made.model_dump() if isinstance(made, plain.Record) else made
            assert made == expected, (twin.__name__, name)


def test_a_twin_takes_its_fields_by_name_and_refuses_others():
    assert plain.Count(min=1, max=2).model_dump() == {"min": 1, "max": 2, "approximate": False, "text": None}
    with pytest.raises(TypeError, match="needs max"):
        plain.Count(min=1)
    with pytest.raises(TypeError, match="no field maximum"):
        plain.Count(min=1, max=2, maximum=3)
    a, b = plain.Edition(edition=None, directions=[]), plain.Edition(edition=None, directions=[])
    assert a.warnings is not b.warnings and a.quality is not b.quality  # defaults made for each record


def test_the_twins_cover_every_model_an_edition_holds():
    held, todo = set(), [models.Edition]
    while todo:
        model = todo.pop()
        held.add(model.__name__)
        for info in model.model_fields.values():
            for inner in re.findall(r"\b([A-Z]\w+)\b", str(info.annotation)):
                if inner not in held and isinstance(getattr(models, inner, None), type) and \
                        issubclass(getattr(models, inner), models.BaseModel):
                    todo.append(getattr(models, inner))
    # locations are kept as dicts and dumped as Location dumps them; corrections never come from extract
    assert held - {"Location", "OcrReading", "Correction"} == {t.__name__ for t in plain.TWINS}
    assert plain.SCHEMA_VERSION == models.SCHEMA_VERSION
    assert plain.LOCATION_KEYS == tuple(models.Location.model_fields)


@pytest.mark.parametrize("location", [
    {"page": 3, "bbox": [1, 2.5, 3, 4]},  # ints become floats, as pydantic makes them
    {"page": 3, "bbox": [1.0, 2.0, 3.0, 4.0], "ocr": {"confidence": 1}},
    {"paragraph": 13},
    {"bbox": [0.0, 0.0, 1.0, 1.0], "page": 1, "paragraph": None},  # key order and what does not apply
])
def test_a_location_dumps_as_the_contract_dumps_it(location):
    source = plain.Source(text="2000 万元", locations=[location])
    assert json.dumps(source.model_dump()) == json.dumps(models.Source.model_validate(
        {"text": "2000 万元", "locations": [location]}).model_dump(mode="json"))


def _same_as_the_contract(edition_json: dict) -> None:
    again = models.Edition.model_validate(edition_json).model_dump(mode="json")
    assert json.dumps(edition_json, ensure_ascii=False) == json.dumps(again, ensure_ascii=False)


@pytest.mark.parametrize("edition", EDITIONS)
def test_an_extracted_edition_is_the_contracts_own_dump(extracted, edition):
    stages, out = extracted[edition]
    written = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    _same_as_the_contract(written)
    assert isinstance(stages.edition, plain.Edition)


def test_a_word_edition_is_the_contracts_own_dump(tmp_path):
    import build
    from pipeline.extract import extract_to_dir

    styled = build.read_styled(EDITIONS["2021-2"][1].read_text(encoding="utf-8"))
    _, out = extract_to_dir(build.render_docx(styled, tmp_path / "guide.docx"), tmp_path / "out")
    edition = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert edition["directions"][0]["provenance"]["title"]["locations"][0].keys() == {"paragraph"}
    _same_as_the_contract(edition)


def test_extract_loads_neither_pydantic_nor_pdfminer_nor_babel(tmp_path):
    """The contract is built when an edition is validated; pdfminer reads only what pdfium cannot vouch for."""
    code = ("import sys; from pipeline.cli import app; from click.testing import CliRunner; "
            f"r = CliRunner().invoke(app, ['extract', r'{EDITIONS['2021-2'][0]}', '-o', r'{tmp_path / 'out'}']); "
            "print(r.exit_code, sorted({m.split('.')[0] for m in sys.modules} & "
            "{'pydantic', 'pdfminer', 'pdfplumber', 'babel', 'yaml', 'pypdfium2'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "0 []", result.stderr


def test_corrections_are_checked_against_the_contract(tmp_path):
    from pipeline.extract import extract_to_dir

    corrections = tmp_path / "2021-2.yaml"
    corrections.write_text("- direction: '1.4'\n  path: partner.name\n  was: 欧盟\n  value: 欧洲联盟\n"
                           "  reason: the union's full name\n", encoding="utf-8")
    stages, out = extract_to_dir(EDITIONS["2021-2"][0], tmp_path / "out", corrections=corrections)
    assert isinstance(stages.edition, models.Edition)
    edition = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert edition["directions"][3]["partner"]["name"] == "欧洲联盟"
    _same_as_the_contract(edition)


# --- the partner-name table --------------------------------------------------------------------

def test_the_partner_table_is_in_step_with_cldr_and_organisations_yaml():
    made = partners.table_text(partners.cldr_territory_names(), partners.yaml_organisation_names())
    assert partners.TABLE.read_text(encoding="utf-8") == made, \
        "pipeline/data/partner_names.tsv is out of date: run python -m pipeline.records.partners"


def _regex_matches(text: str, names) -> list[tuple[int, int]]:
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return [m.span() for m in pattern.finditer(text)]


def test_names_are_found_as_the_regex_of_all_names_found_them():
    rng = random.Random(23)
    territories, organisations = list(partners.territory_names()), list(partners.organisation_names())
    filler = list("中国和政府间科技合作项目（）、—与 ") + ["Korea", "12"]
    for _ in range(300):
        parts = [rng.choice(territories + organisations + filler * 3) for _ in range(rng.randint(1, 12))]
        # names glued to each other and cut (刚果（金）, 南非 inside 南非共和国 …)
        text = "".join(parts)
        text = text[rng.randint(0, 2):] if rng.random() < 0.3 else text
        for kind, names in (("territory", territories), ("organisation", organisations)):
            assert list(partners._names_in(text, kind)) == _regex_matches(text, names), (kind, text)
