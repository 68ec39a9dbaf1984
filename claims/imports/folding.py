"""Fold a large import's quotes and summaries for search in a helper process, a batch ahead.

A new claim's search key (core.search_keys) folds each of its fields through OpenCC, the
alias table and the number rules. The quote and the summary, which no two claims share,
took a fifth of an archive's second reading: some 40 s of a million claims' load, in the
process that also turns records into rows and waits for COPY. Here a process of its own
folds the next batch's while the writer saves the one before, on the machine's other
core; the writer looks each text up in what came back and folds any text not found there
(one changed on the way to its row) itself, so the keys are those it would have made.

Only a load of FOLD_APART_FROM claims or more starts the helper: starting a Python
process costs about a second. A helper that cannot start or fails leaves the folding to
the writer, as it is for a smaller import; it is never the reason an import fails.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from core.search_keys import field_keys

# From this many claims in a document, a helper process folds their long fields.
FOLD_APART_FROM = 20_000

logger = logging.getLogger(__name__)


class FoldingAhead:
    """Fold texts in a helper process, to be collected when they are needed."""

    def __init__(self, *, apart: bool):
        self.pool: ProcessPoolExecutor | None = None
        if apart:
            try:
                # Spawned, not forked: the writer's process holds a database connection
                # and perhaps other threads, which a forked copy must not touch.
                self.pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
            except (OSError, ValueError) as error:
                logger.warning("search keys folded in the import's own process: %s", error)

    def start(self, texts: Sequence[str]) -> Future | None:
        """Start folding `texts`; return what `folded` collects them by (None if not started)."""
        if self.pool is None or not texts:
            return None
        try:
            return self.pool.submit(field_keys, list(texts))
        except RuntimeError as error:  # a broken or shut pool
            self._give_up(error)
            return None

    def folded(self, started: Future | None, texts: Sequence[str]) -> dict[str, str]:
        """Return the key of each text `start` was given, by text; {} if it was not folded."""
        if started is None:
            return {}
        try:
            keys = started.result()
        except Exception as error:  # noqa: BLE001 - the writer folds them itself instead
            self._give_up(error)
            return {}
        return dict(zip(texts, keys, strict=True))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _give_up(self, error: BaseException) -> None:
        logger.warning("search keys folded in the import's own process from now on: %s", error)
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
