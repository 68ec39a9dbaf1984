"""Read an export file record by record, in bounded memory, refusing malformed files.

JSON is read piece by piece, so only one source or claim is in memory at a time; JSON Lines
line by line. Errors name the line (and column) and say what is wrong: not UTF-8, not
JSON, cut short, a record beyond the size limit.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claims.imports.report import ImportFailure

# One record (a source with its full text, or a claim with its verdicts) may be this long;
# a longer one is refused rather than read into memory. The file itself has no limit.
MAX_RECORD_CHARS = 64 * 1024 * 1024
# Small, so that the JSON reader's buffer stays small; a longer record is read in larger
# steps (see _JsonReader.value).
READ_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Record:
    """One piece of a document: a top-level field, a source, a claim, or a JSON Lines end."""

    kind: str  # "field", "array", "source", "claim", "end"
    index: Any  # the field name, or the record's position among its kind
    data: Any
    line: int | None = None  # in JSON Lines


def detect_format(path: Path) -> str:
    """Return "json" or "jsonl" from the file name, else from the first line."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    with path.open("rb") as file:
        first = file.readline(READ_CHUNK_BYTES).strip()
    try:
        return "jsonl" if "type" in json.loads(first) else "json"
    except (ValueError, TypeError):
        return "json"


def read_records(path: Path, format: str) -> Iterator[Record]:
    """Yield the records of an export file one at a time; malformed files raise ImportFailure."""
    try:
        if format == "jsonl":
            yield from _jsonl_records(path)
        else:
            yield from _json_records(path)
    except FileNotFoundError:
        raise ImportFailure([f"{path.name}: no such file"]) from None
    except IsADirectoryError:
        raise ImportFailure([f"{path.name}: is a folder, not a file"]) from None
    except OSError as error:
        raise ImportFailure([f"{path.name}: cannot be read ({error.strerror})"]) from None


def _not_utf8(error: UnicodeDecodeError, offset: int, line: int) -> ImportFailure:
    return ImportFailure(
        [
            f"The file is not UTF-8 text: {error.reason} at byte {offset} (line {line}). Save it as UTF-8."
        ]
    )


def _jsonl_records(path: Path) -> Iterator[Record]:
    counters = Counter()
    offset, state = 0, "start"
    with path.open("rb") as file:
        number = 0
        while raw := file.readline(MAX_RECORD_CHARS * 4 + 1):
            number += 1
            if len(raw) > MAX_RECORD_CHARS * 4 and not raw.endswith(b"\n"):
                raise ImportFailure(
                    [f"line {number}: longer than {_limit()}; nothing was read further"]
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise _not_utf8(error, offset + error.start, number) from None
            offset += len(raw)
            if number == 1:
                text = text.removeprefix("\ufeff")
            if not text.strip():
                continue
            if len(text) > MAX_RECORD_CHARS:
                raise ImportFailure(
                    [f"line {number}: longer than {_limit()}; nothing was read further"]
                )
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                if not raw.endswith(b"\n") and _looks_cut(text, error):
                    raise ImportFailure(
                        [
                            f"line {number}: the file ends in the middle of a record: it was cut short"
                        ]
                    ) from None
                raise ImportFailure(
                    [f"line {number}, column {error.colno}: not valid JSON: {error.msg}"]
                ) from None
            kind = data.get("type") if isinstance(data, dict) else None
            if state == "start":
                if kind != "header":
                    raise ImportFailure(
                        [f'line {number}: the first line must be the header ("type": "header")']
                    )
                state = "body"
                yield Record("header", 0, data, number)
                continue
            if state == "end":
                raise ImportFailure([f"line {number}: there is more after the end line"])
            if kind == "end":
                state = "end"
                yield Record("end", 0, data, number)
            elif kind in ("source", "claim"):
                yield Record(kind, counters[kind], data, number)
                counters[kind] += 1
            else:
                raise ImportFailure(
                    [
                        f"line {number}: unknown record type {kind!r}; expected header, source, claim or end"
                    ]
                )
    if state == "start":
        raise ImportFailure(["The file is empty."])
    if state != "end":
        raise ImportFailure(['The file has no end line ("type": "end"): it was cut short.'])


def _looks_cut(text: str, error: json.JSONDecodeError) -> bool:
    return not text[error.pos :].strip() or error.msg.startswith("Unterminated string")


def _limit() -> str:
    return f"the limit of {MAX_RECORD_CHARS:,} characters for one record"


def _decoded_chunks(path: Path) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines, first = 0, 1, True
    with path.open("rb") as file:
        while True:
            raw = file.read(READ_CHUNK_BYTES)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as error:
                # The decoder puts bytes it held back from the last chunk before this one.
                lines += raw[: max(0, error.start - pending)].count(b"\n")
                raise _not_utf8(error, offset - pending + error.start, lines) from None
            offset += len(raw)
            lines += raw.count(b"\n")
            if first:
                text, first = text.removeprefix("\ufeff"), False
            if text:
                yield text
            if not raw:
                return


_DECODER = json.JSONDecoder()
_NOT_SPACE = re.compile(r"[^ \t\n\r]")


class _JsonReader:
    """Read a JSON document piece by piece: only one record is in memory at a time."""

    def __init__(self, chunks: Iterator[str]):
        self.chunks = chunks
        self.buffer = ""
        self.pos = 0
        self.dropped_lines = 0
        self.eof = False

    def _fill(self, at_least: int = 0) -> bool:
        """Read on: a chunk, or more until `at_least` characters; False at the end of the file."""
        parts, added = [], 0
        while not self.eof and (not parts or added < at_least):
            chunk = next(self.chunks, None)
            if chunk is None:
                self.eof = True
            else:
                parts.append(chunk)
                added += len(chunk)
        if not parts:
            return False
        if self.pos > READ_CHUNK_BYTES:
            self.dropped_lines += self.buffer.count("\n", 0, self.pos)
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        self.buffer += "".join(parts)
        return True

    def where(self, position: int | None = None) -> str:
        position = self.pos if position is None else position
        line = self.dropped_lines + self.buffer.count("\n", 0, position) + 1
        column = position - self.buffer.rfind("\n", 0, position)
        return f"line {line}, column {column}"

    def cut_short(self) -> ImportFailure:
        return ImportFailure(
            [
                f"The document ends at {self.where(len(self.buffer))} before it is complete: it was cut short."
            ]
        )

    def peek(self) -> str | None:
        """Return the next character that is not white space, without taking it."""
        while True:
            match = _NOT_SPACE.search(self.buffer, self.pos)
            if match:
                self.pos = match.start()
                return self.buffer[self.pos]
            self.pos = len(self.buffer)
            if not self._fill():
                return None

    def take(self, allowed: str, expected: str) -> str:
        char = self.peek()
        if char is None:
            raise self.cut_short()
        if char not in allowed:
            raise ImportFailure([f"{self.where()}: not valid JSON: expected {expected}"])
        self.pos += 1
        return char

    def value(self):
        if self.peek() is None:
            raise self.cut_short()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                pending = len(self.buffer) - self.pos
                if pending > MAX_RECORD_CHARS:
                    raise ImportFailure(
                        [f"{self.where()}: a record longer than {_limit()}, or not valid JSON"]
                    ) from None
                # A record longer than what has been read: read as much again before parsing
                # it anew, so that a long record is parsed a few times, not once per chunk.
                if self._fill(at_least=min(pending, MAX_RECORD_CHARS + 1 - pending)):
                    continue
                if _looks_cut(self.buffer, error):
                    raise self.cut_short() from None
                raise ImportFailure(
                    [f"{self.where(error.pos)}: not valid JSON: {error.msg}"]
                ) from None
            # A number at the very end of what has been read may go on in the next chunk.
            if end == len(self.buffer) and self._fill():
                continue
            self.pos = end
            return value


def _json_records(path: Path) -> Iterator[Record]:
    reader = _JsonReader(_decoded_chunks(path))
    if reader.peek() is None:
        raise ImportFailure(["The file is empty."])
    reader.take("{", "the document to be a JSON object ({…})")
    seen = set()
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            name = reader.value()
            if not isinstance(name, str):
                raise ImportFailure([f"{reader.where()}: not valid JSON: expected a field name"])
            reader.take(":", "':'")
            if name in seen:
                raise ImportFailure([f"{name}: given twice"])
            seen.add(name)
            if name in ("sources", "claims") and reader.peek() == "[":
                reader.pos += 1
                yield Record("array", name, None)
                kind, index = name[:-1], 0
                if reader.peek() == "]":
                    reader.pos += 1
                else:
                    while True:
                        yield Record(kind, index, reader.value())
                        index += 1
                        if reader.take(",]", "',' or ']'") == "]":
                            break
            else:
                yield Record("field", name, reader.value())
            if reader.take(",}", "',' or '}'") == "}":
                break
    if reader.peek() is not None:
        raise ImportFailure([f"{reader.where()}: more text after the end of the document"])
