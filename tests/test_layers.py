"""The two layers (STYLE.md): the domain never imports typer, rich or questionary, anywhere in
a module (lazy imports inside functions included); only rarplan/cli/ may."""

from __future__ import annotations

import ast
import subprocess
import sys

from .conftest import REPO

CLI_LIBRARIES = {"typer", "rich", "questionary", "prompt_toolkit"}


def imported_roots(path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_modules_never_import_cli_libraries():
    domain = [p for p in (REPO / "rarplan").glob("*.py") if p.name != "__main__.py"]
    assert len(domain) > 15
    offenders = {p.name: imported_roots(p) & CLI_LIBRARIES for p in domain}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_domain_loads_no_cli_library():
    code = (
        "import sys, rarplan.assessment, rarplan.scheduling, rarplan.completion, "
        "rarplan.caseload, rarplan.render, rarplan.ogrs; "
        f"print(sorted(m for m in {sorted(CLI_LIBRARIES)!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
