from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "actions.sms"
    label = "sms"
    verbose_name = _("Text messages")

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
        from .p2p.selectors import assigned_contacts

        timeline.register(hooks.timeline_entries)
        missions.register(hooks.missions)
        register_assignment(assigned_contacts)
        register_merge_hook(hooks.move_texts)
        register_erasure_hook(hooks.erase_texts)
        register_action_filter(
            "replied_to_text",
            hooks.replied_filter,
            offer=ActionOffer(
                label=_("Replied to a text"), param="within", choices=hooks.replied_choices
            ),
        )
        register_rebuild_source(
            RebuildSource("sms_replies", Stage.ENGAGED, _("Replied to a text"), hooks.replies)
        )
        register_rebuild_source(
            RebuildSource("sms_texters", Stage.ACTIVIST, _("Sent texts"), hooks.texting_volunteers)
        )
        register_metric(
            ActivityMetric(
                "texts_sent", _("Texts sent"), rows=hooks.texts_sent, moment="sent_at", order=40
            )
        )
        register_metric(
            ActivityMetric(
                "texts_replied",
                _("Replies"),
                rows=hooks.text_replies,
                moment="received_at",
                order=45,
            )
        )
