"""The JSON Schema in schemas/ is the one the models generate, and outputs satisfy it."""

import json

import jsonschema
import pytest
from conftest import EDITIONS, ROOT

from pipeline.publish.schemas import SCHEMAS, render


@pytest.mark.parametrize("name", SCHEMAS)
def test_committed_schema_matches_the_models(name):
    committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert committed == render(SCHEMAS[name]()), f"schemas/{name} is stale: run `guidelines schema`"


@pytest.mark.parametrize("edition", EDITIONS)
def test_extracted_editions_satisfy_the_schema(extracted, edition):
    _, out = extracted[edition]
    schema = json.loads((ROOT / "schemas" / "edition.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((out / "edition.json").read_text(encoding="utf-8")), schema)


def test_schema_rejects_a_broken_edition(extracted):
    _, out = extracted["2021-2"]
    schema = json.loads((ROOT / "schemas" / "edition.schema.json").read_text(encoding="utf-8"))
    broken = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    broken["directions"][0]["budget_cny"] = "2000 万元"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
