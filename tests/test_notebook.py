"""The analyst notebook runs (nbclient) on real extracted editions, and is committed without outputs."""

import shutil

import nbformat
import pytest
from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "editions.ipynb"


def test_committed_notebook_has_ids_and_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        assert cell.get("id"), "every cell needs an id"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip outputs before committing"


@pytest.mark.slow
def test_notebook_runs_on_the_editions(tmp_path, extracted, monkeypatch):
    from nbclient import NotebookClient

    from pipeline.quality.validate import validate_dir

    root = tmp_path / "extracted"
    for name, (_, out) in extracted.items():
        shutil.copytree(out, root / name)
    validate_dir(root / "2021-2", docs=False)  # one validated, one not yet
    monkeypatch.setenv("GUIDELINES_EXTRACTED", str(root))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()

    def text(cell):
        parts = []
        for output in cell.outputs:
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/plain", ""))
        return "\n".join(parts)

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "2 edition(s): 2021-2, 2022-1" in text(code[0])
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # editions side by side on one y scale; each partner's budget across editions
    budget = text(code[1])  # keyed by partner and programme, not by direction number
    assert "partner_code" in budget and "programme" in budget and "中国和丹麦政府间科技合作项目" in budget
    denmark = next(line for line in budget.splitlines() if "中国和丹麦政府间科技合作项目" in line)
    assert "2000.0" in denmark and "1500.0" in denmark  # 2021-2 and the synthetic 2022-1 on one row
    assert "RIKEN" in budget and "JICA" in budget  # Japan's two programmes are two rows
    assert "中国和新西兰政府间科技合作项目" in text(code[4]) and "added" in text(code[4])
    status = text(code[5])
    assert "passed" in status and "unchecked" in status


def test_notebook_extra_and_readme_line():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(dep.startswith("jupyterlab") for dep in extras["notebook"])
    assert "pip install '.[notebook]' && jupyter lab notebooks/" in (ROOT / "README.md").read_text(encoding="utf-8")
