"""What a segment's filters mean, as a query. The action apps (petitions, donations, doors,
texts) add filters on what people did through their plugins' ActionFilter."""

from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from contacts.models import Channel, Consent, ConsentStatus, Contact, Source, Tag
from contacts.plugins import ActionFilter, ActionOffer, installed
from contacts.scope import territory_q

CONSENT_ANY = ""


@dataclass
class SegmentFilters:
    tags_any: list[int] = field(default_factory=list)  # has at least one of these tags
    tags_none: list[int] = field(default_factory=list)  # has none of these
    territories: list[int] = field(default_factory=list)  # in any of these territories
    postal_codes: list[str] = field(default_factory=list)
    insee_codes: list[str] = field(default_factory=list)
    bureaux: list[str] = field(default_factory=list)
    consent: dict[str, str] = field(default_factory=dict)  # channel → granted/withdrawn/unknown
    sources: list[str] = field(default_factory=list)
    added_after: str = ""  # ISO dates
    added_before: str = ""
    actions: dict[str, dict] = field(default_factory=dict)  # the plugins' action filters, by name

    @classmethod
    def from_dict(cls, data: dict | None) -> "SegmentFilters":
        data = data or {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}

    @property
    def is_empty(self) -> bool:
        return not self.to_dict()


def action_filters() -> dict[str, ActionFilter]:
    """The installed plugins' filters on what people did, by name."""
    return {f.name: f for plugin in installed() for f in plugin.action_filters()}


def action_offers() -> dict[str, ActionOffer]:
    """Those the segment builder offers, by name."""
    return {name: f.offer for name, f in action_filters().items() if f.offer is not None}


def apply_filters(
    contacts: QuerySet[Contact], filters: SegmentFilters, *, territories
) -> QuerySet[Contact]:
    """Narrow `contacts` by `filters`. `territories` are those the user may filter on."""
    qs = contacts
    if filters.tags_any:
        qs = qs.filter(
            Exists(
                Contact.tags.through.objects.filter(
                    contact_id=OuterRef("pk"), tag_id__in=filters.tags_any
                )
            )
        )
    if filters.tags_none:
        qs = qs.exclude(
            Exists(
                Contact.tags.through.objects.filter(
                    contact_id=OuterRef("pk"), tag_id__in=filters.tags_none
                )
            )
        )
    place = Q()
    if filters.territories:
        chosen = list(territories.filter(pk__in=filters.territories))
        place |= territory_q(chosen)
    if filters.postal_codes:
        place |= Q(postal_code__in=filters.postal_codes)
    if filters.insee_codes:
        place |= Q(insee_code__in=filters.insee_codes)
    if filters.bureaux:
        place |= Q(bureau_code__in=filters.bureaux)
    if place:
        qs = qs.filter(place)
    for channel, status in filters.consent.items():
        if channel not in Channel.values or status == CONSENT_ANY:
            continue
        on_channel = Consent.objects.filter(contact_id=OuterRef("pk"), channel=channel)
        if status == ConsentStatus.UNKNOWN:
            qs = qs.exclude(Exists(on_channel.exclude(status=ConsentStatus.UNKNOWN)))
        else:
            qs = qs.filter(Exists(on_channel.filter(status=status)))
    if filters.sources:
        qs = qs.filter(source__in=[s for s in filters.sources if s in Source.values])
    if filters.added_after:
        qs = qs.filter(source_at__date__gte=date.fromisoformat(filters.added_after))
    if filters.added_before:
        qs = qs.filter(source_at__date__lte=date.fromisoformat(filters.added_before))
    known = action_filters()
    for name, params in filters.actions.items():
        if name in known:
            qs = known[name].apply(qs, params)
    return qs


def describe(filters: SegmentFilters) -> list[str]:
    """The filters in words, for the segment list."""
    parts = []
    if filters.tags_any:
        names = ", ".join(
            Tag.objects.filter(pk__in=filters.tags_any).values_list("name", flat=True)
        )
        parts.append(_("tagged %(tags)s") % {"tags": names})
    if filters.tags_none:
        names = ", ".join(
            Tag.objects.filter(pk__in=filters.tags_none).values_list("name", flat=True)
        )
        parts.append(_("not tagged %(tags)s") % {"tags": names})
    places = filters.postal_codes + filters.insee_codes + filters.bureaux
    if filters.territories or places:
        parts.append(_("in %(n)d places") % {"n": len(filters.territories) + len(places)})
    labels = dict(Channel.choices)
    for channel, status in filters.consent.items():
        if status:
            parts.append(
                f"{labels.get(channel, channel)}: {dict(ConsentStatus.choices).get(status, status)}"
            )
    if filters.sources:
        parts.append(", ".join(str(dict(Source.choices).get(s, s)) for s in filters.sources))
    if filters.added_after or filters.added_before:
        parts.append(
            _("added %(a)s – %(b)s")
            % {"a": filters.added_after or "…", "b": filters.added_before or "…"}
        )
    offers = action_offers()
    for name, params in filters.actions.items():
        offer = offers.get(name)
        if offer is not None:
            value = str(params.get(offer.param, ""))
            parts.append(
                _("%(label)s: %(value)s")
                % {"label": offer.label, "value": dict(offer.choices()).get(value, value)}
            )
    return parts
