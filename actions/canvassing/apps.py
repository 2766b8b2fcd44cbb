from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvassingConfig(AppConfig):
    name = "actions.canvassing"
    label = "canvassing"
    verbose_name = _("Door-to-door canvassing")

    def ready(self) -> None:
        from campaign import missions, timeline
        from contacts.dedupe.services import register_merge_hook
        from contacts.funnel.activity import ActivityMetric, register_metric
        from contacts.funnel.sources import RebuildSource, register_rebuild_source
        from contacts.funnel.stages import Stage
        from contacts.privacy.services import register_erasure_hook
        from contacts.scope import register_assignment
        from contacts.segments.filters import ActionOffer, register_action_filter

        from . import hooks
        from .selectors import assigned_contacts

        timeline.register(hooks.timeline_entries)
        missions.register(hooks.missions)
        register_assignment(assigned_contacts)
        register_merge_hook(hooks.move_visits)
        register_erasure_hook(hooks.erase_visits)
        register_action_filter(
            "door_result",
            hooks.door_result_filter,
            offer=ActionOffer(
                label=_("Door result"), param="result", choices=hooks.door_result_choices
            ),
        )
        register_action_filter(
            "volunteered",
            hooks.volunteered_filter,
            offer=ActionOffer(
                label=_("Wants to volunteer (said at the door)"),
                param="within",
                choices=hooks.volunteered_choices,
            ),
        )
        register_action_filter(
            "support_level",
            hooks.support_filter,
            offer=ActionOffer(
                label=_("Support level (door to door)"),
                param="level",
                choices=hooks.support_choices,
            ),
        )
        register_rebuild_source(
            RebuildSource("door_support", Stage.ENGAGED, _("Support at the door"), hooks.supporters)
        )
        register_rebuild_source(
            RebuildSource(
                "door_volunteers",
                Stage.VOLUNTEER,
                _("Wants to help (door)"),
                hooks.door_volunteers,
            )
        )
        register_rebuild_source(
            RebuildSource("canvassers", Stage.ACTIVIST, _("Knocked on doors"), hooks.canvassers)
        )
        register_metric(
            ActivityMetric(
                "doors", _("Doors knocked"), rows=hooks.visits, moment="visited_at", order=30
            )
        )
