from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailsConfig(AppConfig):
    name = "actions.emails"
    label = "emails"
    verbose_name = _("Emails")
    plugin = "actions.emails.plugin.EmailsPlugin"

    def ready(self) -> None:
        from . import tracking  # noqa: F401 - connects the providers' reports
