"""The document templates compiled once: jinja2's bytecode cache, in rarplan's cache folder.

Compiling the templates takes several times longer than rendering them, so each command would
spend most of `render` compiling. jinja2 names each entry by the template and stores the
template's source checksum and its own and Python's version in it, so an edited template or
another jinja2 is compiled again. What the template compiles to also depends on the
environment's settings (autoescaping above all), which jinja2 does not check: each environment
has its own folder, named by its kind (HTML or text) and a digest of the source of the module
that sets it up, so changing a setting starts a new folder. The entries live in the user's own
cache folder (rarplan.files.cache), as Python's compiled modules live in `__pycache__`; one
that cannot be read is compiled again and rewritten. When a template is compiled into a new
folder, the same kind's folders of other digests (an older rarplan's) are removed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from rarplan.files import cache


class TemplateCache(BytecodeCache):
    def __init__(self, folder: Path, kind: str) -> None:
        self.folder = folder
        self.kind = kind

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = cache.read(self._path(bucket))
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # a damaged entry (any error of reading it back): compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        cache.write(self._path(bucket), bucket.bytecode_to_string())
        for other in self.folder.parent.glob(f"templates-{self.kind}-*"):
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)


def template_cache(kind: str, configured_in: str) -> TemplateCache | None:
    """The cache for one environment (`kind`, set up in the module `configured_in`), or None
    when there is no cache folder to use."""
    digest = hashlib.sha256(Path(configured_in).read_bytes()).hexdigest()[:16]
    folder = cache.folder(f"templates-{kind}-{digest}")
    return TemplateCache(folder, kind) if folder is not None else None
