"""Text tasks: thin, take ids, safe to run twice (rows are claimed before any sending)."""

from celery import shared_task

from .p2p import services as p2p_services
from .services.recovery import recover
from .services.sending import Outcome, blast_fan_out, blast_send_batch, conversation_message_send


def _later(task, args: tuple, **when) -> None:
    """Run `task` again at `eta` or after `countdown`. Run eagerly (the embedded defaults)
    a task cannot wait: its rows stay queued and the next recovery picks them up."""
    if not task.app.conf.task_always_eager:
        task.apply_async(args, **when)


@shared_task(name="sms.fan_out", acks_late=True)
def blast_fan_out_task(blast_id: int) -> int:
    """One message row per person, then one send task per batch."""
    batches = blast_fan_out(
        blast_id=blast_id, on_batch=lambda ids: blast_send_batch_task.delay(blast_id, ids)
    )
    return sum(len(b) for b in batches)


@shared_task(name="sms.send_batch", acks_late=True)
def blast_send_batch_task(blast_id: int, message_ids: list[int]) -> dict:
    result = blast_send_batch(blast_id=blast_id, message_ids=message_ids)
    if result.resume_at is not None:  # quiet hours: the whole batch waits for the morning
        _later(blast_send_batch_task, (blast_id, message_ids), eta=result.resume_at)
    if result.retry_later:  # the provider was busy or down: again in a minute
        _later(blast_send_batch_task, (blast_id, result.retry_later), countdown=60)
    return {"sent": result.sent, "failed": result.failed, "suppressed": result.suppressed}


@shared_task(name="sms.send_message", acks_late=True)
def conversation_message_send_task(message_id: int) -> str:
    """One text of a conversation, written or tapped by a volunteer."""
    result = conversation_message_send(message_id=message_id)
    if result.resume_at is not None:
        _later(conversation_message_send_task, (message_id,), eta=result.resume_at)
    elif result.outcome == Outcome.RETRY:
        _later(conversation_message_send_task, (message_id,), countdown=60)
    return result.outcome


@shared_task(name="sms.p2p_fan_out", acks_late=True)
def p2p_fan_out_task(campaign_id: int) -> int:
    """One conversation per person of the campaign's segment."""
    return p2p_services.conversations_write(campaign_id=campaign_id)


@shared_task(name="sms.recover")
def sms_recover_task() -> dict:
    return recover()
