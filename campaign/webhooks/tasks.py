"""Webhook deliveries in the background: thin, take ids, each delivery claimed before it is
sent."""

from celery import shared_task

from .sending import deliveries_due, delivery_send


@shared_task(name="webhooks.send", soft_time_limit=540, time_limit=600)
def deliveries_send(delivery_ids: list[int]) -> dict:
    outcomes: dict[str, int] = {}
    for delivery_id in delivery_ids:
        outcome = delivery_send(delivery_id=delivery_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(name="webhooks.retry", soft_time_limit=540, time_limit=600)
def deliveries_retry() -> int:
    """Every minute (Celery beat): the deliveries whose next attempt has come."""
    due = deliveries_due()
    for delivery_id in due:
        delivery_send(delivery_id=delivery_id)
    return len(due)
