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
    assert len(images) >= 2  # budget per direction, budget per partner
    assert "中国和新西兰政府间科技合作项目" in text(code[3]) and "added" in text(code[3])
    status = text(code[4])
    assert "passed" in status and "unchecked" in status
