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
    # (the reviewer's name in the document, the new account credited with their verdicts)
    new_reviewers: list[tuple[str, str]] = field(default_factory=list)

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
            *self.new_reviewer_lines(),
            f"topics: {self.counts[('topic', 'created')]} created",
        ]

    def new_reviewer_lines(self) -> list[str]:
        lines = []
        for name, username in self.new_reviewers[:MAX_REPORTED]:
            if name == username:
                lines.append(f"  new account {username!r}")
            else:
                lines.append(
                    f"  new account {username!r} for reviewer {name!r}, whose name is an existing "
                    "account's (to credit that account, name it with --credit-existing)"
                )
        if len(self.new_reviewers) > MAX_REPORTED:
            lines.append(f"  … and {len(self.new_reviewers) - MAX_REPORTED} more")
        return lines

    @property
    def changed(self) -> bool:
        return any(count for (_, outcome), count in self.counts.items() if outcome == "created")
