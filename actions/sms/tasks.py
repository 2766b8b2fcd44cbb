"""Text tasks: thin, take ids, safe to run twice (rows are claimed before any sending)."""

from celery import shared_task

from . import services


@shared_task(name="sms.fan_out", acks_late=True)
def blast_fan_out_task(blast_id: int) -> int:
    """One message row per person, then one send task per batch."""
    batches = services.blast_fan_out(
        blast_id=blast_id, on_batch=lambda ids: blast_send_batch_task.delay(blast_id, ids)
    )
    return sum(len(b) for b in batches)


@shared_task(name="sms.send_batch", acks_late=True)
def blast_send_batch_task(blast_id: int, message_ids: list[int]) -> dict:
    result = services.blast_send_batch(blast_id=blast_id, message_ids=message_ids)
    if result.resume_at is not None:  # quiet hours: the whole batch waits for the morning
        blast_send_batch_task.apply_async((blast_id, message_ids), eta=result.resume_at)
    if result.retry_later:  # the provider was busy or down: again in a minute
        blast_send_batch_task.apply_async((blast_id, result.retry_later), countdown=60)
    return {"sent": result.sent, "failed": result.failed, "suppressed": result.suppressed}


@shared_task(name="sms.recover")
def sms_recover_task() -> dict:
    return services.recover()
