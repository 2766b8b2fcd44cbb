from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "actions.sms"
    label = "sms"
    verbose_name = _("Text messages")

    def ready(self) -> None:
        from campaign import timeline
        from contacts.segments.filters import ActionOffer, register_action_filter

        from . import hooks

        timeline.register(hooks.timeline_entries)
        register_action_filter(
            "replied_to_text",
            hooks.replied_filter,
            offer=ActionOffer(
                label=_("Replied to a text"), param="within", choices=hooks.replied_choices
            ),
        )
