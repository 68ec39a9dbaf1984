"""The texts of an import's sources, kept on disk between the two readings, not in memory.

Every claim is checked against its source's text, and an export lists all the sources
before all the claims: both readings need every text at hand, long after it was read. A
document of ten thousand articles holds hundreds of megabytes of text; here it lies in a
temporary SQLite file (Python's own sqlite3, not the project's database) that is deleted
when the import ends, and only the few texts in use are in memory. It is the import's
scratch database (scratch.py), which keeps the rest of what the readings remember.
"""

from __future__ import annotations

from collections import OrderedDict

from claims.imports.scratch import Scratch

CACHED_TEXTS = 64  # claims come grouped by source: a few texts serve a whole batch


class SourceTexts:
    """Each source's text as the document gives it and, if it differs, the database's copy."""

    def __init__(self, scratch: Scratch | None = None):
        self.owned = scratch is None
        self.scratch = scratch or Scratch()
        self.scratch.execute(
            "CREATE TABLE source_text (key TEXT PRIMARY KEY, document TEXT, stored TEXT)"
        )
        self.cache: OrderedDict[str, tuple[str, str | None]] = OrderedDict()

    def add(self, key: str, document: str, stored: str | None = None) -> None:
        """Keep a source's text; `stored` is the database's copy, when it reads differently."""
        self.scratch.execute(
            "INSERT OR REPLACE INTO source_text VALUES (?, ?, ?)",
            (key, document, None if stored == document else stored),
        )
        self.cache.pop(key, None)

    def _texts(self, key: str) -> tuple[str, str | None]:
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        row = self.scratch.one("SELECT document, stored FROM source_text WHERE key = ?", (key,))
        if row is None:
            raise KeyError(key)
        texts = self.cache[key] = (row[0], row[1])
        if len(self.cache) > CACHED_TEXTS:
            self.cache.popitem(last=False)
        return texts

    def document(self, key: str) -> str:
        """Return the text as the document gives it: where its claims' anchors point."""
        return self._texts(key)[0]

    def stored(self, key: str) -> str:
        """Return the text the claims will stand in: the database's copy if there is one."""
        document, stored = self._texts(key)
        return document if stored is None else stored

    def differs(self, key: str) -> bool:
        """Say whether the database's copy of the source reads differently from the document."""
        return self._texts(key)[1] is not None

    def close(self) -> None:
        if self.owned:
            self.scratch.close()
