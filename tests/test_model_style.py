"""How the pydantic models are written, which every command that reads a plan or a catalogue
pays for at start-up (docs/DEVELOPING.md, "Models"; issue 15, "Speed")."""

from __future__ import annotations

import ast

from tests.conftest import REPO

PACKAGE = REPO / "rarplan"
# The models every plan-reading command builds: their annotations are read as the module loads.
CONTRACT_MODULES = ("model/case.py", "model/plan.py", "catalogue/models.py", "catalogue/rules.py")
BUILT_INS = {"list", "dict", "set"}


def _future_annotations(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )


def test_the_contract_models_evaluate_their_annotations_as_they_load():
    for name in CONTRACT_MODULES:
        tree = ast.parse((PACKAGE / name).read_text("utf-8"))
        assert not _future_annotations(tree), f"rarplan/{name}: see docs/DEVELOPING.md, Models"


def test_no_model_field_has_a_built_in_factory_for_an_empty_default():
    """`Field(default_factory=list)`: pydantic parses `list`'s text signature for each one."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Field":
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "default_factory" and getattr(value, "id", "") in BUILT_INS:
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not found, f"write `= []` or `= {{}}` instead: {found}"
