"""Read an export file record by record, in bounded memory, refusing malformed files.

JSON is read piece by piece, so only one source or claim is in memory at a time; JSON Lines
line by line. Errors name the line (and column) and say what is wrong: not UTF-8, not
JSON, cut short, a record beyond the size limit.

Whatever a file holds, reading it is bounded: a file over HECHA_IMPORT_MAX_BYTES is refused
before it is opened, a value nested deeper than MAX_NESTING is refused before the parser
recurses into it, the header's fields are small, and a number has at most MAX_NUMBER_CHARS
characters (Python would take quadratic time to read a longer integer, and refuses one of
over 4,300 digits with an error of its own).
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

from django.conf import settings
from django.utils.translation import gettext as _

from claims.imports.report import ImportFailure

# One record (a source with its full text, or a claim with its verdicts) may be this long;
# a longer one is refused rather than read into memory. The file itself has no limit.
MAX_RECORD_CHARS = 64 * 1024 * 1024
# Small, so that the JSON reader's buffer stays small; a longer record is read in larger
# steps (see _JsonReader.value).
READ_CHUNK_BYTES = 64 * 1024
# The deepest an export goes is five levels (a claim's cross-reference's verdict); the
# parser recurses once per level, so a deeper value is refused before it is parsed.
MAX_NESTING = 20
# Numbers in an export are offsets and counts; figures are written as strings.
MAX_NUMBER_CHARS = 30
# The header's fields (schema_version, exported_at, filters) and the end line are small.
MAX_FIELD_CHARS = 64 * 1024
# A NUL or a UTF-16 surrogate can only reach a string as a \u escape (UTF-8 cannot encode
# either, and JSON forbids raw control characters in strings); a record that holds such an
# escape is looked at closely by the checking pass, which names the field.
_ESCAPED_UNSTORABLE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


@dataclass(frozen=True)
class Record:
    """One piece of a document: a top-level field, a source, a claim, or a JSON Lines end."""

    kind: str  # "field", "array", "source", "claim", "end"
    index: Any  # the field name, or the record's position among its kind
    data: Any
    line: int | None = None  # in JSON Lines
    # True when the record's text has an escape that may stand for a NUL or a lone surrogate.
    may_hold_unstorable: bool = False


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
        size, limit = path.stat().st_size, settings.HECHA_IMPORT_MAX_BYTES
        if size > limit:
            raise ImportFailure(
                [
                    _(
                        "%(name)s: %(size)s bytes, more than the limit of %(limit)s bytes for an "
                        "import (HECHA_IMPORT_MAX_BYTES); split the export, or raise the limit"
                    )
                    % {"name": path.name, "size": f"{size:,}", "limit": f"{limit:,}"}
                ]
            )
        if format == "jsonl":
            yield from _jsonl_records(path)
        else:
            yield from _json_records(path)
    except FileNotFoundError:
        raise ImportFailure([_("%(name)s: no such file") % {"name": path.name}]) from None
    except IsADirectoryError:
        raise ImportFailure(
            [_("%(name)s: is a folder, not a file") % {"name": path.name}]
        ) from None
    except OSError as error:
        raise ImportFailure(
            [
                _("%(name)s: cannot be read (%(reason)s)")
                % {"name": path.name, "reason": error.strerror}
            ]
        ) from None


def _not_utf8(
    error: UnicodeDecodeError, offset: int, line: int, *, at_end: bool = False
) -> ImportFailure:
    if at_end and error.reason == "unexpected end of data":
        # A file cut inside a character (Chinese takes three bytes): cut short, not mis-saved.
        return ImportFailure(
            [
                _("The file ends inside a character (line %(line)d): it was cut short.")
                % {"line": line}
            ]
        )
    return ImportFailure(
        [
            _(
                "The file is not UTF-8 text: %(reason)s at byte %(offset)d (line %(line)d). "
                "Save it as UTF-8."
            )
            % {"reason": error.reason, "offset": offset, "line": line}
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
                    [
                        _("line %(line)d: longer than %(limit)s; nothing was read further")
                        % {"line": number, "limit": _limit()}
                    ]
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                at_end = not raw.endswith(b"\n") and error.end == len(raw)
                raise _not_utf8(error, offset + error.start, number, at_end=at_end) from None
            offset += len(raw)
            if number == 1:
                text = text.removeprefix("\ufeff")
            if not text.strip():
                continue
            if len(text) > MAX_RECORD_CHARS:
                raise ImportFailure(
                    [
                        _("line %(line)d: longer than %(limit)s; nothing was read further")
                        % {"line": number, "limit": _limit()}
                    ]
                )
            if state == "start" and len(text) > MAX_FIELD_CHARS:
                raise ImportFailure(
                    [
                        _(
                            "line %(line)d: a header line longer than %(limit)s characters; "
                            "an export's header is a few lines of fields"
                        )
                        % {"line": number, "limit": f"{MAX_FIELD_CHARS:,}"}
                    ]
                )
            too_deep = _too_deep(text)
            if too_deep is not None:
                raise ImportFailure([f"{_line_column(number, too_deep + 1)}: {_nesting()}"])
            try:
                data = _DECODER.decode(text)
            except _NumberTooLong as error:
                raise ImportFailure([f"{_line(number)}: {error}"]) from None
            except json.JSONDecodeError as error:
                if not raw.endswith(b"\n") and _looks_cut(text, error):
                    raise ImportFailure(
                        [
                            _(
                                "line %(line)d: the file ends in the middle of a record: "
                                "it was cut short"
                            )
                            % {"line": number}
                        ]
                    ) from None
                raise ImportFailure(
                    [
                        f"{_line_column(number, error.colno)}: "
                        + _("not valid JSON: %(reason)s") % {"reason": error.msg}
                    ]
                ) from None
            kind = data.get("type") if isinstance(data, dict) else None
            unstorable = bool(_ESCAPED_UNSTORABLE.search(text))
            if state == "start":
                if kind != "header":
                    raise ImportFailure(
                        [
                            _('line %(line)d: the first line must be the header ("type": "header")')
                            % {"line": number}
                        ]
                    )
                state = "body"
                yield Record("header", 0, data, number, unstorable)
                continue
            if state == "end":
                raise ImportFailure(
                    [_("line %(line)d: there is more after the end line") % {"line": number}]
                )
            if kind == "end":
                state = "end"
                yield Record("end", 0, data, number, unstorable)
            elif kind in ("source", "claim"):
                yield Record(kind, counters[kind], data, number, unstorable)
                counters[kind] += 1
            else:
                raise ImportFailure(
                    [
                        _(
                            "line %(line)d: unknown record type %(kind)r; expected header, "
                            "source, claim or end"
                        )
                        % {"line": number, "kind": kind}
                    ]
                )
    if state == "start":
        raise ImportFailure([_("The file is empty.")])
    if state != "end":
        raise ImportFailure([_('The file has no end line ("type": "end"): it was cut short.')])


def _looks_cut(text: str, error: json.JSONDecodeError) -> bool:
    return not text[error.pos :].strip() or error.msg.startswith("Unterminated string")


def _line(line: int) -> str:
    return _("line %(line)d") % {"line": line}


def _line_column(line: int, column: int) -> str:
    return _("line %(line)d, column %(column)d") % {"line": line, "column": column}


def _limit() -> str:
    return _("the limit of %(limit)s characters for one record") % {
        "limit": f"{MAX_RECORD_CHARS:,}"
    }


def _nesting() -> str:
    return _("nested more than %(levels)d levels deep; an export is nested five levels at most") % {
        "levels": MAX_NESTING
    }


class _NumberTooLong(ValueError):
    def __init__(self, text: str):
        super().__init__(
            _(
                "a number %(length)s characters long; numbers in an export have at most "
                "%(limit)d (figures are written as strings)"
            )
            % {"length": f"{len(text):,}", "limit": MAX_NUMBER_CHARS}
        )


def _bounded(parse):
    def parse_bounded(text: str):
        if len(text) > MAX_NUMBER_CHARS:
            raise _NumberTooLong(text)
        return parse(text)

    return parse_bounded


# A string (possibly with escapes), a quote that opens a string not yet complete, a bracket.
_STRUCTURE = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"|["\[\]{}]')


def _scan(text: str, start: int, depth: int = 0) -> tuple[int, int, int | None]:
    """Follow the brackets of `text` from `start` at nesting `depth`.

    Return (where the scan stopped, the depth there, where nesting went beyond MAX_NESTING
    or None). The scan stops where the value opened before `start` closes (depth 0), at a
    string that goes on past the end of `text`, or at the end.
    """
    for match in _STRUCTURE.finditer(text, start):
        token = match.group()
        if len(token) > 1:
            continue
        if token == '"':
            return match.start(), depth, None
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return match.start(), depth, match.start()
        else:
            depth -= 1
            if depth <= 0:
                return match.end(), 0, None
    return len(text), depth, None


def _too_deep(text: str) -> int | None:
    """Return where the value `text` begins with is nested deeper than MAX_NESTING, or None."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None  # fewer brackets than that, even counting those in strings: no need to scan
    return _scan(text, 0)[2]


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
                at = offset - pending + error.start
                raise _not_utf8(error, at, lines, at_end=not raw) from None
            offset += len(raw)
            lines += raw.count(b"\n")
            if first:
                text, first = text.removeprefix("\ufeff"), False
            if text:
                yield text
            if not raw:
                return


_DECODER = json.JSONDecoder(parse_int=_bounded(int), parse_float=_bounded(float))
_NOT_SPACE = re.compile(r"[^ \t\n\r]")


class _JsonReader:
    """Read a JSON document piece by piece: only one record is in memory at a time."""

    def __init__(self, chunks: Iterator[str]):
        self.chunks = chunks
        self.buffer = ""
        self.pos = 0
        self.dropped_lines = 0
        self.eof = False
        self.last_unstorable = False

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
        return _line_column(line, column)

    def cut_short(self) -> ImportFailure:
        return ImportFailure(
            [
                _("The document ends at %(where)s before it is complete: it was cut short.")
                % {"where": self.where(len(self.buffer))}
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
            raise ImportFailure(
                [f"{self.where()}: " + _("not valid JSON: expected %(what)s") % {"what": expected}]
            )
        self.pos += 1
        return char

    def read_to_end_of_value(self, name: str, limit: int, what: str) -> None:
        """Read on until the object or list at `pos` is whole, refusing it if too deep or long.

        Brackets are followed by a regular expression, without recursion, so that the parser
        is only given a value it can parse within its stack.
        """
        if self.buffer[self.pos] not in "[{":
            return
        position, depth = self.pos, 0
        while True:
            position, depth, too_deep = _scan(self.buffer, position, depth)
            if too_deep is not None:
                raise ImportFailure([f"{name}, {self.where(too_deep)}: {_nesting()}"])
            pending = (position if depth == 0 else len(self.buffer)) - self.pos
            if pending > limit:
                raise ImportFailure(
                    [
                        f"{name}, {self.where()}: "
                        + _("longer than the limit of %(limit)s characters for %(what)s")
                        % {"limit": f"{limit:,}", "what": what}
                    ]
                )
            if depth == 0:
                return
            offset = position - self.pos
            # Read as much again as is pending, so that a long value is scanned a few times,
            # not once per chunk.
            if not self._fill(at_least=min(pending, limit + 1 - pending)):
                return  # cut short: the parser says where
            position = self.pos + offset

    def value(self, name: str, *, header: bool = False):
        """Parse the value at `pos`; `name` says what it is in an error (claims[3], filters).

        A record (a source or a claim) may be up to MAX_RECORD_CHARS long, a `header` field
        up to MAX_FIELD_CHARS.
        """
        limit, what = (
            (MAX_FIELD_CHARS, _("a header field"))
            if header
            else (MAX_RECORD_CHARS, _("one record"))
        )
        if self.peek() is None:
            raise self.cut_short()
        self.read_to_end_of_value(name, limit, what)
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except _NumberTooLong as error:
                raise ImportFailure([f"{name}, {self.where()}: {error}"]) from None
            except json.JSONDecodeError as error:
                pending = len(self.buffer) - self.pos
                if pending > limit:
                    raise ImportFailure(
                        [
                            f"{name}, {self.where()}: "
                            + _(
                                "longer than the limit of %(limit)s characters for %(what)s, "
                                "or not valid JSON"
                            )
                            % {"limit": f"{limit:,}", "what": what}
                        ]
                    ) from None
                # A record longer than what has been read: read as much again before parsing
                # it anew, so that a long record is parsed a few times, not once per chunk.
                if self._fill(at_least=min(pending, limit + 1 - pending)):
                    continue
                if _looks_cut(self.buffer, error):
                    raise self.cut_short() from None
                raise ImportFailure(
                    [
                        f"{self.where(error.pos)}: "
                        + _("not valid JSON: %(reason)s") % {"reason": error.msg}
                    ]
                ) from None
            # A number at the very end of what has been read may go on in the next chunk.
            if end == len(self.buffer) and self._fill():
                continue
            self.last_unstorable = bool(_ESCAPED_UNSTORABLE.search(self.buffer, self.pos, end))
            self.pos = end
            return value


def _json_records(path: Path) -> Iterator[Record]:
    reader = _JsonReader(_decoded_chunks(path))
    if reader.peek() is None:
        raise ImportFailure([_("The file is empty.")])
    reader.take("{", _("the document to be a JSON object ({…})"))
    seen = set()
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            name = reader.value(_("a field name"), header=True)
            if not isinstance(name, str):
                raise ImportFailure(
                    [
                        f"{reader.where()}: "
                        + _("not valid JSON: expected %(what)s") % {"what": _("a field name")}
                    ]
                )
            reader.take(":", "':'")
            if name in seen:
                raise ImportFailure([_("%(name)s: given twice") % {"name": name}])
            seen.add(name)
            if name in ("sources", "claims") and reader.peek() == "[":
                reader.pos += 1
                yield Record("array", name, None)
                kind, index = name[:-1], 0
                if reader.peek() == "]":
                    reader.pos += 1
                else:
                    while True:
                        data = reader.value(f"{name}[{index}]")
                        yield Record(kind, index, data, None, reader.last_unstorable)
                        index += 1
                        if reader.take(",]", "',' or ']'") == "]":
                            break
            else:
                data = reader.value(name, header=True)
                yield Record("field", name, data, None, reader.last_unstorable)
            if reader.take(",}", "',' or '}'") == "}":
                break
    if reader.peek() is not None:
        raise ImportFailure([f"{reader.where()}: " + _("more text after the end of the document")])
