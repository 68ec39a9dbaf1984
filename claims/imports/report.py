"""What an import tells its user: the failure that stopped it, or what it did."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_REPORTED = 100


class ImportFailure(Exception):
    """A file that cannot be imported; nothing was saved. `errors` name record, field, reason."""

    def __init__(self, errors: list[str], *, more: int = 0):
        self.errors = errors
        self.more = more
        lines = list(errors) + ([_("… and %(count)d more") % {"count": more}] if more else [])
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
        def tally(kind: str) -> dict:
            return {
                "created": self.counts[(kind, "created")],
                "existing": self.counts[(kind, "existing")],
            }

        return [
            _("sources: %(created)d created, %(existing)d already there") % tally("source"),
            _("claims: %(created)d created, %(existing)d already there") % tally("claim"),
            _("verdicts: %(created)d created, %(existing)d already there") % tally("annotation"),
            _("cross-references: %(created)d created, %(existing)d already there")
            % tally("crossref"),
            _("reviewers: %(created)d created (inactive, cannot log in)") % tally("reviewer"),
            *self.new_reviewer_lines(),
            _("topics: %(created)d created") % tally("topic"),
        ]

    def new_reviewer_lines(self) -> list[str]:
        lines = []
        for name, username in self.new_reviewers[:MAX_REPORTED]:
            if name == username:
                lines.append("  " + _("new account %(username)r") % {"username": username})
            else:
                lines.append(
                    "  "
                    + _(
                        "new account %(username)r for reviewer %(name)r, whose name is an "
                        "existing account's (to credit that account, name it with "
                        "--credit-existing)"
                    )
                    % {"username": username, "name": name}
                )
        if len(self.new_reviewers) > MAX_REPORTED:
            lines.append(
                "  " + _("… and %(count)d more") % {"count": len(self.new_reviewers) - MAX_REPORTED}
            )
        return lines

    @property
    def changed(self) -> bool:
        return any(count for (_, outcome), count in self.counts.items() if outcome == "created")
