"""What a command shows a person: styled lines and tables, drawn by rich on a terminal and as
plain lines everywhere else (a file, a pipe, `less`, a screen reader's log, an email).

On a terminal, rich lays tables out to the window's width, wraps long names inside their
cells and colours the status words. Anywhere else there is no width to fit and nobody to see a
colour, so the same content is written as plain lines, as gh and git do when their output is
piped: a table is a title line, a header line and one line per row, its columns aligned with
two spaces and never wrapped, so `grep`, `sort` and `awk` see one row a line, and no box
drawing characters reach a file or a screen reader. `--json` is still the format for scripts.
It also keeps rich out of a piped command's start-up: importing rich and laying a table out
was about a third of `rarplan assess` (docs/speed.md).

Views write rich's markup (`[bold]...[/bold]`) and put text that comes from a file or a
person through `escape`. `escape` and `plain_text` follow rich's own markup grammar
(rich.markup), and tests/cli/test_screen.py holds them to rich's results for any text.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

# rich's markup tag: `[bold]`, `[/]`, `[link=...]`, preceded by any backslashes (rich.markup).
_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
_ESCAPABLE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def escape(text: str) -> str:
    """`text` made safe to put in markup: what looks like a tag is shown as written."""
    text = _ESCAPABLE.sub(lambda m: f"{m[1]}{m[1]}\\{m[2]}", text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


def plain_text(markup: str) -> str:
    """The text a person reads in `markup`: its tags dropped, its escapes undone."""
    if "[" not in markup:
        return markup
    out: list[str] = []
    position = 0
    for match in _TAG.finditer(markup):
        whole, backslashes = match[1], match[2]
        start, end = match.span()
        if start > position:
            out.append(markup[position:start].replace("\\[", "["))
        kept, escaped = divmod(len(backslashes), 2)
        out.append("\\" * kept)
        if escaped:  # an escaped tag is text
            out.append(whole[len(backslashes) :])
        position = end
    if position < len(markup):
        out.append(markup[position:].replace("\\[", "["))
    return "".join(out)


@dataclass
class Column:
    header: str
    options: dict[str, Any]  # rich's column options (ratio, no_wrap, overflow, justify)


@dataclass
class Table:
    """A table of markup cells: `rich.table.Table`'s own options on a terminal (`box` by name:
    "simple_head", or None for none), aligned plain lines elsewhere. A cell's lines (a name,
    then its id under it) are joined with " · " on one plain line."""

    title: str | None = None
    caption: str | None = None  # a line under the table (what its abbreviations stand for)
    box: str | None = "heavy_head"
    options: dict[str, Any] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    rows: list[tuple[list[str], str | None]] = field(default_factory=list)  # cells, style
    sections: set[int] = field(default_factory=set)  # rows that start a new section
    show_header: bool = True

    @classmethod
    def grid(cls, **options: Any) -> Table:
        """Columns without a header or lines (numbered notes under a table)."""
        return cls(
            box=None, show_header=False, options={"show_edge": False, "pad_edge": False, **options}
        )

    def add_column(self, header: str = "", **options: Any) -> None:
        self.columns.append(Column(header, options))

    def add_row(self, *cells: str, style: str | None = None) -> None:
        self.rows.append((list(cells), style))

    def add_section(self) -> None:
        self.sections.add(len(self.rows))

    def __rich__(self) -> Any:
        from rich import box
        from rich.table import Table as RichTable

        table = RichTable(
            title=self.title,
            caption=self.caption,
            box=getattr(box, self.box.upper()) if self.box else None,
            show_header=self.show_header,
            **self.options,
        )
        for column in self.columns:
            table.add_column(column.header, **column.options)
        for at, (cells, style) in enumerate(self.rows):
            if at in self.sections:
                table.add_section()
            table.add_row(*cells, style=style)
        return table

    def plain_lines(self) -> list[str]:
        """The table as plain lines: title, header, rows, columns aligned by two spaces."""
        lines = [plain_text(self.title)] if self.title else []
        rows = [[_one_line(cell) for cell in cells] for cells, _ in self.rows]
        header = [plain_text(c.header) for c in self.columns]
        shown = [header, *rows] if self.show_header else rows
        widths = [0] * max((len(row) for row in shown), default=0)
        for row in shown:
            if len(row) > 1:  # a lone label (a week's heading) sets no column's width
                for at, cell in enumerate(row):
                    widths[at] = max(widths[at], len(cell))

        def aligned(row: list[str]) -> str:
            cells = [cell.ljust(widths[n]) for n, cell in enumerate(row[:-1])] + row[-1:]
            return "  ".join(cells).rstrip()

        if self.show_header:
            lines.append(aligned(header))
        for at, row in enumerate(rows):
            if at in self.sections and at > 0:
                lines.append("")  # a new section (a new week)
            lines.append(aligned(row))
        if self.caption:
            lines.append(plain_text(self.caption))
        return lines


def _one_line(cell: str) -> str:
    return " · ".join(part.strip() for part in plain_text(cell).splitlines() if part.strip())


class PlainConsole:
    """What rich's console does for rarplan's views, as plain text on stdout."""

    def __init__(self) -> None:
        try:
            self.width = int(os.environ.get("COLUMNS", "100"))
        except ValueError:
            self.width = 100

    def print(self, *objects: Any, end: str = "\n") -> None:
        parts = []
        for thing in objects:
            if isinstance(thing, Table):
                parts.append("\n".join(thing.plain_lines()))
            elif isinstance(thing, str):
                parts.append(plain_text(thing))
            else:
                raise TypeError(f"cannot show a {type(thing).__name__} as plain text")
        sys.stdout.write(" ".join(parts) + end)

    def rule(self, title: str = "") -> None:
        self.print(f"── {plain_text(title)} ──" if title else "──")
