"""Petition tasks: thin, take ids, safe to run twice. The emails' tasks live in
actions.petitions.emails (the merge queues them); they are gathered here for Celery."""

import time

from celery import shared_task

from campaign.counters import flag_lower, flag_raise

from .emails import petition_send_confirmation, petition_send_consent_confirmation
from .models import PendingSignature
from .signatures import MERGE_BATCH, pending_signatures_merge

__all__ = [
    "merge_later",
    "petition_send_confirmation",
    "petition_send_consent_confirmation",
    "petition_signatures_merge",
]

MERGE_QUEUED = "petitions:merge-queued"
MERGE_DELAY_SECONDS = 1  # signatures gathered into one merge


# When this process last found a merge queued (or queued one): for MERGE_SEEN_SECONDS after,
# its signers ask Redis nothing. Safe, as a merge that lowers the flag looks for waiting
# rows again MERGE_SEEN_SECONDS later (petition_signatures_merge), and one this process
# queued starts after MERGE_DELAY_SECONDS, which is longer.
MERGE_SEEN_SECONDS = 0.5
_merge_seen_at = -MERGE_SEEN_SECONDS


def merge_later(*, fresh: bool = False) -> None:
    """Queue one merge task, unless one is queued already: however many signers, one task.
    `fresh`: ask Redis, whatever this process saw lately."""
    global _merge_seen_at
    now = time.monotonic()
    if not fresh and now - _merge_seen_at < MERGE_SEEN_SECONDS:
        return
    if flag_raise(MERGE_QUEUED, seconds=30):
        petition_signatures_merge.apply_async(countdown=MERGE_DELAY_SECONDS)
    _merge_seen_at = now


@shared_task(name="petitions.merge_signatures", acks_late=True)
def petition_signatures_merge() -> int:
    """Merge the received signatures: full batches while there is a backlog, then the rest.
    Queued a moment after the first signer of a quiet spell (so one merge takes many
    signatures), and every minute by beat in case a queued task was lost."""
    merged = 0
    while (batch := pending_signatures_merge()) == MERGE_BATCH:
        merged += batch
    merged += batch
    # Signers who came during this merge saw it queued and queued nothing: look again, once
    # every process has stopped trusting what it saw (merge_later, above).
    flag_lower(MERGE_QUEUED)
    time.sleep(MERGE_SEEN_SECONDS)
    if PendingSignature.objects.exists():
        merge_later(fresh=True)
    return merged
