"""The layers (STYLE.md, "Two layers"; issue 15): the domain packages never import typer, rich
or questionary, anywhere in a module (lazy imports inside functions included), nor anything
from rarplan.cli; the shared model imports no other rarplan package."""

from __future__ import annotations

import ast
import re
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


# --- No domain message names a CLI flag ------------------------------------------------------

# A flag: two dashes and a letter, not inside a word ("--force", "--from"; not "a--b").
FLAG = re.compile(r"(?<![\w-])--[a-z]")

# Literals allowed to name a flag, by file and literal, each with its reason. Keep it short:
# a domain error says what it `needs` by the library's parameter name, and the CLI words the
# flag (rarplan/cli/output.py, FLAGS).
ALLOWED_FLAG_LITERALS: dict[tuple[str, str], str] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes: documentation may mention the CLI; messages may not."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def flag_literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal in a module that names a CLI flag: plain strings and the text parts
    of f-strings (their constant pieces are ast.Constant nodes too), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docs = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and FLAG.search(node.value)
    ]


def test_the_flag_finder_sees_strings_and_f_strings(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        '"""Docs may say --force."""\n'
        "def f(x):\n"
        '    """Nor here: --from."""\n'
        '    a = "use --force to replace it"\n'
        '    b = f"{x} needs --confirmed-by NAME"\n'
        '    c = "a--b, x -- y, --"\n'
        "    return a, b, c\n"
    )
    assert [line for line, _ in flag_literals(module)] == [4, 5]


def test_no_domain_message_names_a_cli_flag():
    """STYLE.md "Two layers": domain modules raise domain exceptions whose messages are in the
    officer's words; what a caller must give is named in `needs`, and only the CLI words it as
    a flag. A library caller never reads advice about flags it cannot pass."""
    found = {}
    for path in domain_modules():
        name = str(path.relative_to(REPO))
        for line, text in flag_literals(path):
            if (name, text) not in ALLOWED_FLAG_LITERALS:
                found[f"{name}:{line}"] = text
    assert found == {}
    for (name, text), reason in ALLOWED_FLAG_LITERALS.items():
        assert reason.strip(), f"{name}: {text!r} is allowed without a reason"


def test_domain_modules_never_raise_usage_errors():
    """UsageError is the CLI's own (a missing flag, a bad combination); a library call that
    lacks an input raises NeedsInput naming it."""
    found = set()
    for path in domain_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and any(
                alias.name == "UsageError" for alias in node.names
            ):
                found.add(str(path.relative_to(REPO)))
    assert found == set()


# --- One rule, one place ---------------------------------------------------------------------


def _definitions(name: str) -> list[str]:
    """The modules defining a function or assigning a module-level name `name`."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                found.append(str(path.relative_to(PACKAGE)))
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    found.append(str(path.relative_to(PACKAGE)))
    return found


def test_each_shared_rule_is_defined_once_in_the_model():
    """Issue 15: the RAR-day rule, the offender-management id, add_months, the HH:MM pattern
    and the date parsing live in rarplan/model and are imported everywhere else."""
    homes = {
        "OFFENDER_MANAGEMENT": "model/rardays.py",
        "COUNTING_OUTCOMES": "model/rardays.py",
        "counts_towards_rar": "model/rardays.py",
        "days_planned": "model/rardays.py",
        "days_used": "model/rardays.py",
        "dates_used": "model/rardays.py",
        "add_months": "model/dates.py",
        "HHMM": "model/dates.py",
        "minutes_of": "model/dates.py",
        "hhmm": "model/dates.py",
        "read_date": "model/dates.py",
    }
    for name, home in homes.items():
        assert _definitions(name) == [home], name


def test_the_literals_of_the_rules_appear_once():
    """No module spells the offender-management id, the HH:MM pattern or the counting outcomes
    itself: it imports them."""
    literals = {
        "offender-management": "model/rardays.py",
        r"^([01][0-9]|2[0-3]):[0-5][0-9]$": "model/dates.py",
    }
    for literal, home in literals.items():
        found = [
            str(path.relative_to(PACKAGE))
            for path in PACKAGE.rglob("*.py")
            if any(
                isinstance(node, ast.Constant) and node.value == literal
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            )
        ]
        assert found == [home], literal
    counting = {"attended_complied", "attended_failed_to_comply"}
    sets = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Set | ast.Tuple)
        and {e.value for e in node.elts if isinstance(e, ast.Constant)} == counting
        and len(node.elts) == 2
    ]
    assert sets == ["model/rardays.py"]
