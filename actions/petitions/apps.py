from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "actions.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from campaign import timeline
        from contacts.dedupe.services import register_merge_hook
        from contacts.funnel.activity import ActivityMetric, register_metric
        from contacts.funnel.sources import RebuildSource, register_rebuild_source
        from contacts.funnel.stages import Stage
        from contacts.privacy.services import register_erasure_hook
        from contacts.segments.filters import ActionOffer, register_action_filter

        from . import hooks
        from .models import Petition
        from .selectors import forget_public

        timeline.register(hooks.timeline_entries)
        register_merge_hook(hooks.move_signatures)
        register_erasure_hook(hooks.erase_signatures)
        register_action_filter(
            "signed_petition",
            hooks.signed_petition_filter,
            offer=ActionOffer(
                label=_("Signed the petition"), param="petition", choices=hooks.petition_choices
            ),
        )
        register_rebuild_source(
            RebuildSource(
                "petitions", Stage.ENGAGED, _("Signed a petition"), hooks.engaging_signatures
            )
        )
        register_metric(
            ActivityMetric(
                "signatures",
                _("Signatures"),
                rows=hooks.confirmed_signatures,
                moment="signed_at",
                order=20,
            )
        )
        post_save.connect(forget_public, sender=Petition, dispatch_uid="petitions.forget_public")
