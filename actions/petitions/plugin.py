"""How petitions plug into contacts: timeline entries, merges, erasure, segment filters,
funnel sources and the signatures counted on the dashboard."""

from collections.abc import Iterable, Sequence

from django.db.models import Exists, F, Min, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.ownership import TerritoryOwned
from contacts.demo import DemoSeed
from contacts.funnel.stages import Stage
from contacts.models import Contact
from contacts.plugins import (
    ActionFilter,
    ActionOffer,
    ActionPlugin,
    ActivityMetric,
    ContactRows,
    RebuildSource,
    TimelineEntry,
)

from . import demo as demo_data
from .models import Petition, Signature


class PetitionsPlugin(ActionPlugin):
    def timeline(self, contact: Contact, limit: int) -> Iterable[TimelineEntry]:
        return timeline_entries(contact, limit)

    def action_filters(self) -> Sequence[ActionFilter]:
        return [
            ActionFilter(
                "signed_petition",
                signed_petition_filter,
                offer=ActionOffer(
                    label=gettext_lazy("Signed the petition"),
                    param="petition",
                    choices=petition_choices,
                ),
            )
        ]

    def rebuild_sources(self) -> Sequence[RebuildSource]:
        return [
            RebuildSource(
                "petitions", Stage.ENGAGED, gettext_lazy("Signed a petition"), engaging_signatures
            )
        ]

    def activity_metrics(self) -> Sequence[ActivityMetric]:
        return [
            ActivityMetric(
                "signatures",
                gettext_lazy("Signatures"),
                rows=confirmed_signatures,
                moment="signed_at",
                order=20,
            )
        ]

    def contact_rows(self) -> Sequence[ContactRows]:
        return [ContactRows(Signature, merge=move_signatures, erase=erase_signatures)]

    def owned_models(self) -> Sequence[type[TerritoryOwned]]:
        return [Petition]

    def seed_demo(self, demo: DemoSeed) -> None:
        demo_data.seed(demo)


def timeline_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    signatures = Signature.objects.filter(contact=contact, confirmed_at__isnull=False)
    signatures = signatures.select_related("petition")[:limit]
    return [
        TimelineEntry(
            at=s.signed_at,
            kind="petition",
            title=_("Signed the petition “%(title)s”") % {"title": s.petition.title},
            # Where they came from, then their answers to the petition's questions, a line each.
            detail="\n".join(
                filter(
                    None,
                    [
                        " · ".join(filter(None, [s.utm_source, s.utm_campaign, s.referrer[:80]])),
                        *(f"{label} — {text}" for label, text in (s.answers or {}).items()),
                    ],
                )
            ),
            # Free answers to a campaign's questions may state an opinion.
            opinion=any((s.answers or {}).values()),
        )
        for s in signatures
    ]


def move_signatures(kept_id: int, dropped_id: int) -> None:
    """On a merge: the kept contact signs what the merged one signed (once per petition)."""
    already = Signature.objects.filter(contact_id=kept_id).values("petition_id")
    Signature.objects.filter(contact_id=dropped_id, petition_id__in=already).delete()
    Signature.objects.filter(contact_id=dropped_id).update(contact_id=kept_id)


def erase_signatures(contact_ids: list[int]) -> None:
    """On erasure: signatures stay counted; where the person came from and what they wrote go."""
    Signature.objects.filter(contact_id__in=contact_ids).update(
        referrer="", answers={}, first_name="", last_name="", phone="", postal_code=""
    )


def signed_petition_filter(contacts: QuerySet, params: dict) -> QuerySet:
    """Segment filter {"petition": id}: contacts who signed that petition."""
    petition = params.get("petition")
    if petition is None:
        return contacts.none()
    signed = Signature.objects.filter(
        contact_id=OuterRef("pk"), petition_id=petition, confirmed_at__isnull=False
    )
    return contacts.filter(Exists(signed))


def petition_choices() -> list[tuple[str, str]]:
    petitions = Petition.objects.exclude(status=Petition.Status.DRAFT).order_by("-created_at")
    return [(str(pk), title) for pk, title in petitions.values_list("pk", "title")[:200]]


def engaging_signatures(contact_ids=None) -> QuerySet:
    """Funnel: a confirmed signature made after the person was first known (a second
    petition, or a first one after an import or a door) makes them engaged."""

    signatures = Signature.objects.filter(
        confirmed_at__isnull=False, contact__isnull=False, signed_at__gt=F("contact__source_at")
    )
    if contact_ids is not None:
        signatures = signatures.filter(contact_id__in=contact_ids)
    return signatures.values(person=F("contact_id")).annotate(at=Min("signed_at"))


def confirmed_signatures() -> QuerySet:
    return Signature.objects.filter(confirmed_at__isnull=False)
