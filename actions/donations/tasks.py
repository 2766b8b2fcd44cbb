"""Donation tasks: thin, safe to run twice. The donor's emails' tasks live in
actions.donations.emails (the services queue them); they are gathered here for Celery."""

from celery import shared_task

from . import services
from .emails import donation_send_stop_notice, donation_send_thanks

__all__ = ["donation_send_stop_notice", "donation_send_thanks", "monthly_collect_task"]


@shared_task(name="donations.monthly")
def monthly_collect_task() -> dict:
    return services.monthly_collect()
