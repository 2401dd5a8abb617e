"""The Python client notebook (both languages) runs against etcd and shows what it prints."""

import nbformat
import pytest
from nbclient import NotebookClient

from code_blocks import DOCS, ROOT
from snippet_runner import normalise

NOTEBOOK = "etcd/python-client.ipynb"
CELL_TIMEOUT_S = 30


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def printed(cell) -> str:
    """What a code cell printed; errors count, so a failing cell never matches."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}\n")
        elif "text/plain" in output.get("data", {}):
            parts.append(output.data["text/plain"] + "\n")
    return "".join(parts)


def test_both_languages_run_the_same_code():
    zh, en = (nbformat.read(DOCS / lang / NOTEBOOK, as_version=4) for lang in ("zh", "en"))
    assert [c.source for c in code_cells(zh)] == [c.source for c in code_cells(en)], (
        f"code cells of docs/zh/{NOTEBOOK} and docs/en/{NOTEBOOK} differ"
    )


# One language runs with the endpoint as a URL, the other without a scheme, which etcdctl
# accepts too (127.0.0.1:2379): the first cell must connect either way.
@pytest.mark.parametrize("lang, scheme", [("zh", False), ("en", True)], ids=["zh", "en"])
def test_notebook_output_is_observed_output(lang, scheme, etcd, monkeypatch, update_outputs):
    path = DOCS / lang / NOTEBOOK
    shown = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    endpoint = etcd.endpoints.split(",")[0]
    assert endpoint.startswith("http://")
    # the kernel inherits it
    monkeypatch.setenv("ETCDCTL_ENDPOINTS", endpoint if scheme else endpoint.removeprefix("http://"))
    NotebookClient(
        fresh, timeout=CELL_TIMEOUT_S, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(etcd.workdir)}},
    ).execute()

    if update_outputs:
        nbformat.write(fresh, path)
        return
    for number, (old, new) in enumerate(zip(code_cells(shown), code_cells(fresh)), 1):
        assert "error" not in {o.output_type for o in new.outputs}, (
            f"{path.relative_to(ROOT)} code cell {number} failed:\n{printed(new)}"
        )
        assert normalise(printed(old)) == normalise(printed(new)), (
            f"{path.relative_to(ROOT)} code cell {number}: shown output drifted "
            f"(run pytest --update-outputs):\nshown:\n{printed(old)}\nobserved:\n{printed(new)}"
        )
    assert "lease expired: None" in printed(code_cells(fresh)[4])
