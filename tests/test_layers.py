"""The layers (STYLE.md, "Two layers"; issue 15): the domain packages never import typer, rich
or questionary, anywhere in a module (lazy imports inside functions included), nor anything
from rarplan.cli; the shared model imports no other rarplan package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CLI_LIBRARIES = {"typer", "rich", "questionary", "prompt_toolkit"}
PACKAGE = REPO / "rarplan"
STAGES = ("model", "catalogue", "assess", "schedule", "deliver", "documents", "files")


def imports(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name (relative imports resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return found


def domain_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts]


def test_the_tree_has_one_package_per_stage():
    for name in (*STAGES, "cli", "cli/commands", "cli/wizard"):
        assert (PACKAGE / name / "__init__.py").is_file(), name
    # nothing but the library API and the entry point at the top
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]


def test_domain_modules_never_import_cli_libraries():
    domain = domain_modules()
    assert len(domain) > 30
    offenders = {
        str(p.relative_to(REPO)): {m for m in imports(p) if m.split(".")[0] in CLI_LIBRARIES}
        for p in domain
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_domain_modules_never_import_the_cli_layer():
    offenders = {
        str(p.relative_to(REPO)): {m for m in imports(p) if m.startswith("rarplan.cli")}
        for p in domain_modules()
        if p.name != "__main__.py"
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_model_imports_no_other_rarplan_package():
    offenders = {
        p.name: {
            m for m in imports(p) if m.startswith("rarplan") and not m.startswith("rarplan.model")
        }
        for p in (PACKAGE / "model").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_domain_loads_no_cli_library():
    code = (
        "import sys, rarplan.assess.assessment, rarplan.schedule.make, rarplan.deliver.completion, "
        "rarplan.deliver.caseload, rarplan.documents.render, rarplan.assess.ogrs, "
        "rarplan.assess.batch, rarplan.schedule.batch; "
        f"print(sorted(m for m in {sorted(CLI_LIBRARIES)!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
