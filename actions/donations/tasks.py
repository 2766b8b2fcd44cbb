"""Donation tasks: thin, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="donations.monthly")
def monthly_collect_task() -> dict:
    return services.monthly_collect()
