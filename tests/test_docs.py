"""The documentation covers the program (STYLE.md "Tests"; sqlite-utils `tests/test_docs.py`).

Every command and subcommand of the typer app, and every long option of each, is named in the
documentation (README.md and docs/*.md); each command's options on the page whose heading names
the command. Every command's help ends with an example. Every relative link between the pages
points at a file and a heading that exist.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer.main

from rarplan.cli.app import build
from rarplan.cli.registry import COMMANDS, GROUPS
from tests.conftest import REPO

DOCS = REPO / "docs"
README = REPO / "README.md"
# The user documentation; docs/sources/ holds the source documents, not rarplan's own words.
PAGES = [README, *sorted(p for p in DOCS.rglob("*.md") if DOCS / "sources" not in p.parents)]
# Answered by rarplan/cli/main.py before the typer app is built.
TOP_OPTIONS = ("--help", "--version")


@cache
def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def headings(page: Path) -> list[str]:
    lines, fenced = [], False
    for line in text(page).splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            lines.append(line.lstrip("#").strip())
    return lines


def walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """(path, click command) for the app and everything under it, in order."""
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += walk(sub, (*path, name))
    return found


def long_options(command: Any) -> list[str]:
    return [
        opt
        for param in command.params
        if param.param_type_name == "option" and not getattr(param, "hidden", False)
        for opt in [*param.opts, *param.secondary_opts]
        if opt.startswith("--")
    ]


COMMAND_TREE = walk(typer.main.get_command(build()))
SUBCOMMANDS = [(path, command) for path, command in COMMAND_TREE if path]
IDS = [" ".join(path) for path, _ in SUBCOMMANDS]


def pages_for(top: str) -> list[Path]:
    """The pages with a heading naming `rarplan TOP`: where the command is documented."""
    return [p for p in PAGES if any(f"rarplan {top}`" in h for h in headings(p))]


def test_the_app_has_every_registered_command() -> None:
    names = {path[0] for path, _ in SUBCOMMANDS}
    assert names == {name for name, _, _ in COMMANDS} | {name for name, _, _ in GROUPS}


@pytest.mark.parametrize(("path", "command"), SUBCOMMANDS, ids=IDS)
def test_every_command_is_named_in_the_docs(path: tuple[str, ...], command: Any) -> None:
    name = "rarplan " + " ".join(path)
    assert pages_for(path[0]), f"no page has a heading naming `rarplan {path[0]}`"
    assert any(name in text(p) for p in pages_for(path[0])), name


@pytest.mark.parametrize(("path", "command"), SUBCOMMANDS, ids=IDS)
def test_every_option_is_documented_with_its_command(path: tuple[str, ...], command: Any) -> None:
    where = "\n".join(text(p) for p in pages_for(path[0]))
    missing = [
        opt for opt in long_options(command) if not re.search(re.escape(opt) + r"(?![\w-])", where)
    ]
    pages = [str(p.relative_to(REPO)) for p in pages_for(path[0])]
    assert not missing, f"rarplan {' '.join(path)}: {missing} not in {pages}"


def test_the_top_level_options_are_documented() -> None:
    everything = "\n".join(text(p) for p in PAGES)
    top = typer.main.get_command(build())
    for opt in [*long_options(top), *TOP_OPTIONS]:
        assert re.search(re.escape(opt) + r"(?![\w-])", everything), opt


@pytest.mark.parametrize(("path", "command"), SUBCOMMANDS, ids=IDS)
def test_every_command_help_ends_with_an_example(path: tuple[str, ...], command: Any) -> None:
    """STYLE.md: every command has a docstring with an example, shown by `--help`."""
    if getattr(command, "commands", None):  # a group: its subcommands carry the examples
        assert (command.help or "").strip(), path
        return
    assert f"Example: rarplan {' '.join(path)}" in (command.help or ""), path


def test_the_readme_starts_with_the_two_commands() -> None:
    readme = text(README)
    assert "\n## Quick start\n" in readme
    quick = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    assert "make demo" in quick and "make test" in quick


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_every_relative_link_points_at_a_file_and_heading(page: Path) -> None:
    broken = []
    for target in LINK.findall(text(page)):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in map(slug, headings(linked)):
            broken.append(target)
    assert not broken, f"{page.relative_to(REPO)}: {broken}"


def test_the_source_documents_are_listed_with_their_origin() -> None:
    sources = DOCS / "sources"
    listing = text(sources / "README.md")
    files = [p for p in sources.rglob("*") if p.is_file() and not p.name.startswith(".")]
    for p in files:
        if p.name != "README.md":
            assert f"`{p.relative_to(sources)}`" in listing, p.name
