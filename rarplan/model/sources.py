"""The source documents (docs/sources/) by the titles an officer knows them by.

Code, catalogue and tests cite a source by its file name (docs/sources/README.md); whatever a
person reads names it by title and section instead ("Source: RAR guidance (MoJ, 2019), section
3", never "Source: 001_246201b7ec5ee73b.txt"). This table is the one place the two meet.
"""

from __future__ import annotations

import re

TITLES: dict[str, str] = {
    "000_9693cc15ef4d7f0b.txt": "KSS CRC web page, Rehabilitation Activity Requirements",
    "001_246201b7ec5ee73b.txt": "RAR guidance (Ministry of Justice, 2019)",
    "002_99a2151c416f313a.txt": "KSS CRC web page, Reducing reoffending, improving lives",
    "003_2c3b0962518856ac.txt": "KSS CRC rate card",
    "004_156466ba85ed721c.txt": "Judicial Brochure: Probation Interventions Kent, Surrey and "
    "Sussex (HMPPS, 2025)",
    "reference/structured-interventions.md": "HMPPS Structured Interventions list v1.3.4",
    "reference/arp.md": "All Reoffending Predictor (Ministry of Justice)",
    "reference/ogrs3.md": "OGRS3 (Howard, Francis, Soothill and Humphreys, 2009)",
}
# A file name as code cites it, with or without a leading docs/sources/ or ../shared/seeds/.
_FILE = re.compile(r"(?:[\w./-]*/)?(" + "|".join(re.escape(f) for f in TITLES) + r")")


def title(file: str) -> str:
    """The document's title; an unknown file (a provider's own) is named as it is."""
    return TITLES.get(file.removeprefix("docs/sources/"), file)


def cite(file: str, section: str = "") -> str:
    """Title, then the section: "RAR guidance (Ministry of Justice, 2019), section 3"."""
    named = title(file)
    return f"{named}, {section}" if section and section.lower() not in named.lower() else named


def in_words(text: str) -> str:
    """`text` with each source file name in it replaced by the document's title."""
    return _FILE.sub(lambda m: TITLES[m[1]], text)
