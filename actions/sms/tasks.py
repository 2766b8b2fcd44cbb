"""Text tasks: thin, take ids, safe to run twice (rows are claimed before any sending).
Each lives next to the work it runs and queues again (services.sending, services.recovery,
p2p.services), so no service imports this module; Celery finds them here."""

from .p2p.services import p2p_fan_out_task
from .services.recovery import sms_recover_task
from .services.sending import (
    blast_fan_out_task,
    blast_send_batch_task,
    conversation_message_send_task,
)

__all__ = [
    "blast_fan_out_task",
    "blast_send_batch_task",
    "conversation_message_send_task",
    "p2p_fan_out_task",
    "sms_recover_task",
]
