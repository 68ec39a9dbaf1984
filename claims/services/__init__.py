"""Every write to Hecha's records goes through these functions.

Views, admin, management commands, imports and the seed loader all call them, so
validation, anchoring, history and review tallies behave the same whichever way a change
arrives. Each is keyword-only, takes the acting user explicitly and writes its history in
the same transaction. `*_build` functions check a new row without a query, for imports,
which write many at once (claims.imports.sink); `verdicts_bulk_create` records the verdicts
of the bulk verdicts page.
"""

from claims.services.assignments import claims_assign
from claims.services.candidates import (
    candidate_accept,
    candidate_dismiss,
    candidates_accept,
    candidates_dismiss,
)
from claims.services.claims import (
    CLAIM_EDITABLE_FIELDS,
    FIGURE_FIELDS,
    claim_build,
    claim_create,
    claim_update,
    claims_reanchor,
    claims_refresh_search_keys,
)
from claims.services.crossrefs import (
    crossref_build,
    crossref_create,
    crossref_update,
)
from claims.services.publication import claim_publish, claim_unpublish, publication_refusals
from claims.services.retraction import (
    claim_restore,
    claim_retract,
    crossref_restore,
    crossref_retract,
    source_restore,
    source_retract,
)
from claims.services.sources import source_update
from claims.services.topics import topic_create, topic_update, topics_from
from claims.services.verdicts import (
    TALLY_FIELDS,
    review_status_of,
    tally_of,
    verdict_build,
    verdict_create,
    verdicts_bulk_create,
)
from sources.services import source_build, source_check, source_create, source_search_key

__all__ = [
    "CLAIM_EDITABLE_FIELDS",
    "FIGURE_FIELDS",
    "TALLY_FIELDS",
    "candidate_accept",
    "candidate_dismiss",
    "candidates_accept",
    "candidates_dismiss",
    "claim_build",
    "claim_create",
    "claim_publish",
    "claim_restore",
    "claim_retract",
    "claim_unpublish",
    "claim_update",
    "claims_assign",
    "claims_mark_for_recheck",
    "claims_reanchor",
    "claims_refresh_search_keys",
    "crossref_build",
    "crossref_create",
    "crossref_restore",
    "crossref_retract",
    "crossref_update",
    "publication_refusals",
    "review_status_of",
    "source_build",
    "source_check",
    "source_create",
    "source_restore",
    "source_retract",
    "source_search_key",
    "source_update",
    "tally_of",
    "topic_create",
    "topic_update",
    "topics_from",
    "verdict_build",
    "verdict_create",
    "verdicts_bulk_create",
]
