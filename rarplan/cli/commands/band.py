"""`rarplan band`: the guidance's OGRS table alone."""

from __future__ import annotations

from typing import Annotated

import typer

from rarplan.cli.options import JsonOption, QuietOption


def band(
    ogrs: Annotated[float, typer.Argument(help="OGRS3 2-year score, 0 to 100.")],
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Look up the RAR intensity band and guideline days for an OGRS score.

    From the table in the RAR guidance, section 3.

    Example: rarplan band 62 --json
    """
    from rarplan.assess.bands import SOURCE, band_for
    from rarplan.cli.output import emit_json
    from rarplan.model.sources import in_words

    found = band_for(ogrs)
    if json_output:
        emit_json(found.as_dict(ogrs))
        return
    days = found.guideline_days
    guideline = f"{days['min']} to {days['max']} days" if days else "no RAR (n/a)"
    print(f"OGRS {ogrs:g}%: {found.label} ({found.ogrs_range})")
    print(f"Guideline number of RAR days: {guideline}")
    print(f"Average number of needs at this score: {found.average_needs}")
    if found.name == "none":
        print("A RAR only in exceptional circumstances, with clear dynamic risk factors.")
    print(f"Source: {in_words(SOURCE)}")
