from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "actions.donations"
    label = "donations"
    verbose_name = _("Donations")

    def ready(self) -> None:
        from campaign import timeline
        from contacts.dedupe.services import register_merge_hook
        from contacts.segments.filters import ActionOffer, register_action_filter

        from . import hooks

        timeline.register(hooks.timeline_entries)
        register_merge_hook(hooks.move_donations)
        register_action_filter(
            "donated",
            hooks.donated_filter,
            offer=ActionOffer(
                label=_("Donated at least"), param="cents", choices=hooks.donated_choices
            ),
        )
