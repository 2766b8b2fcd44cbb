"""Email tasks: thin, take ids, safe to run twice (rows are claimed before any sending).
They live next to the work they run (sending); Celery finds them here."""

from .sending import blast_fan_out_task, blast_send_batch_task, email_recover_task

__all__ = ["blast_fan_out_task", "blast_send_batch_task", "email_recover_task"]
