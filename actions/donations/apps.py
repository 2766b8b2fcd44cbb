from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "actions.donations"
    label = "donations"
    verbose_name = _("Donations")

    def ready(self) -> None:
        from campaign import timeline
        from contacts.dedupe.services import register_merge_hook
        from contacts.funnel.activity import ActivityMetric, register_metric
        from contacts.funnel.sources import RebuildSource, register_rebuild_source
        from contacts.funnel.stages import Stage
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
        register_rebuild_source(
            RebuildSource("donors", Stage.DONOR, _("Gift received"), hooks.donors)
        )
        register_metric(
            ActivityMetric(
                "gifts",
                _("Gifts"),
                rows=hooks.gifts_received,
                moment="received_on",
                order=50,
                amount=hooks.kept_cents,
            )
        )
