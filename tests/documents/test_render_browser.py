"""The HTML documents in a real browser: A4, one printed page per section, nothing too wide or
too tall, and a screenshot that shows something.

Uses Debian's `chromium`, headless. If it is not installed and the tests run as root with
apt-get, it is installed once per session; otherwise these tests are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.documents.test_render_golden import example_document

pytestmark = pytest.mark.slow

A4_POINTS = (595.0, 842.0)  # 210 x 297 mm
# Documents of the examples: a page per section each (the person: about, appointments, work;
# the court, before sentence only: one; the referral: one per intervention).
DOCUMENTS = [
    ("X100001", "person"),
    ("X100001", "referral"),
    ("X100004", "person"),
    ("X100004", "referral"),
    ("X100002", "court"),
]
# Run in the page (in a copy made for the test: the documents themselves carry no script and
# forbid scripts): lay each section out at the printable width of A4 (180 mm) and report
# whether anything is wider than that or the section is taller than a page (267 mm).
CHECK = """<script>
addEventListener("load", () => {
  const probe = document.createElement("div");
  probe.style.cssText = "position:absolute;width:180mm;height:267mm";
  document.body.appendChild(probe);
  const page = probe.getBoundingClientRect();
  probe.remove();
  document.body.style.margin = "0";
  const out = [];
  for (const s of document.querySelectorAll("section.page")) {
    s.style.cssText = "width:180mm;max-width:none;min-height:0;padding:0;margin:0;box-shadow:none";
    const box = s.getBoundingClientRect();
    const wide = [...s.querySelectorAll("*")].filter(
      (e) => e.getBoundingClientRect().right > box.right + 1).map((e) => e.tagName);
    out.push({id: s.id, height: box.height, page: page.height,
              tall: box.height > page.height + 1,
              wide: s.scrollWidth > s.clientWidth + 1 || wide.length > 0, what: wide.slice(0, 5)});
  }
  document.body.setAttribute("data-check", JSON.stringify(out));
});
</script>"""


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed, and installing it needs root and apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(step, env=env, capture_output=True, timeout=600, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"chromium is not installed and `apt-get install chromium` failed: {exc}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("`apt-get install chromium` ran but no chromium is on PATH")
    return found


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    return run


def write(tmp_path: Path, crn: str, document: str) -> Path:
    path = tmp_path / f"{crn}.{document}.html"
    path.write_text(example_document(crn, document, "html"), encoding="utf-8")
    return path


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """The size of each page object (`/Type /Page`, not the `/Pages` tree) in points."""
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)
    boxes = [
        tuple(float(v) for v in m.split()[2:4])
        for m in re.findall(rb"/MediaBox\s*\[\s*([-\d.\s]+)\]", data)
    ]
    assert boxes, "no /MediaBox in the PDF"
    return [boxes[min(i, len(boxes) - 1)] for i in range(len(pages))]


@pytest.mark.parametrize(("crn", "document"), DOCUMENTS)
def test_prints_one_a4_page_per_section(browser, tmp_path, crn, document):
    html = write(tmp_path, crn, document)
    sections = html.read_text().count('<section class="page"')
    pdf = tmp_path / "out.pdf"
    done = browser("--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    pages = pdf_pages(pdf.read_bytes())
    assert len(pages) == sections, f"{len(pages)} printed pages for {sections} sections"
    for width, height in pages:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)


@pytest.mark.parametrize(("crn", "document"), DOCUMENTS)
def test_no_section_is_too_wide_or_too_tall_for_the_page(browser, tmp_path, crn, document):
    text = example_document(crn, document, "html")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    page = tmp_path / "check.html"
    page.write_text(text.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    done = browser(
        "--window-size=900,1200", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()
    )
    found = re.search(r'data-check="([^"]*)"', done.stdout)
    assert found, f"the check did not run: {done.stderr[-2000:]}"
    result = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert len(result) == text.count('<section class="page"')
    problems = [r for r in result if r["wide"] or r["tall"]]
    assert not problems, problems


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed image data of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, width, height = 8, [], 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


def test_screenshot_of_the_person_plan_is_not_blank(browser, tmp_path):
    html = write(tmp_path, "X100001", "person")
    shot = tmp_path / "person.png"
    done = browser("--window-size=900,1300", f"--screenshot={shot}", html.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 1300)
    # Text, the days bar and the page edge give many shades; a blank page gives two or three.
    assert len(set(pixels)) > 32
