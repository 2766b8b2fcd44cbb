from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from campaign import timeline

        from . import timeline as contact_timeline
        from .funnel import hooks as funnel_hooks

        timeline.register(contact_timeline.entries)
        funnel_hooks.register()
