"""What an import tells its user: the failure that stopped it, or what it did."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_REPORTED = 100


class ImportFailure(Exception):
    """A file that cannot be imported; nothing was saved. `errors` name record, field, reason."""

    def __init__(self, errors: list[str], *, more: int = 0):
        self.errors = errors
        self.more = more
        lines = list(errors) + ([f"… and {more} more"] if more else [])
        super().__init__("\n".join(lines))


@dataclass
class ImportReport:
    """What an import created, what it found already there, and what it kept unchanged."""

    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    more_warnings: int = 0

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_REPORTED:
            self.warnings.append(message)
        else:
            self.more_warnings += 1

    def lines(self) -> list[str]:
        return [
            f"{label}: {self.counts[(kind, 'created')]} created, "
            f"{self.counts[(kind, 'existing')]} already there"
            for kind, label in (
                ("source", "sources"),
                ("claim", "claims"),
                ("annotation", "verdicts"),
                ("crossref", "cross-references"),
            )
        ] + [
            f"reviewers: {self.counts[('reviewer', 'created')]} created (inactive, cannot log in)",
            f"topics: {self.counts[('topic', 'created')]} created",
        ]

    @property
    def changed(self) -> bool:
        return any(count for (_, outcome), count in self.counts.items() if outcome == "created")
