"""What an import tells its user: the failure that stopped it, or what it did."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
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
            # Grouped as pages group numbers: an archive's 683,252 claims, not 683252.
            return {
                "created": intcomma(self.counts[(kind, "created")]),
                "existing": intcomma(self.counts[(kind, "existing")]),
            }

        return [
            _("sources: %(created)s created, %(existing)s already there") % tally("source"),
            _("claims: %(created)s created, %(existing)s already there") % tally("claim"),
            _("verdicts: %(created)s created, %(existing)s already there") % tally("annotation"),
            _("cross-references: %(created)s created, %(existing)s already there")
            % tally("crossref"),
            _("reviewers: %(created)s created (inactive, cannot log in)") % tally("reviewer"),
            *self.new_reviewer_lines(),
            _("topics: %(created)s created") % tally("topic"),
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
