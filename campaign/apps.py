from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("Campaign and people")

    def ready(self) -> None:
        # `make run`: beat's tasks in runserver's own process (no beat there); nowhere else.
        from . import scheduler
        from .celery import app

        scheduler.start(app)
