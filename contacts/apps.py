from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")
    plugin = "contacts.plugin.ContactsPlugin"

    def ready(self) -> None:
        # Every app's plugin is imported at start-up, as Django imports models and admins, not
        # by the first request that needs one (half a second of imports: pandas, the SMS
        # backends). Inside ready(): the plugins import models, loaded only by now.
        from .plugins import installed

        installed()
