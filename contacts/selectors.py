"""Reads of contacts. Every query starts from contacts_visible_to(user)."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from campaign.models import User
from campaign.pagination import count_capped, table_estimate

from .funnel.models import FunnelEntry
from .models import Consent, ConsentStatus, Contact, ContactEmail, ContactPhone, Tag
from .normalize import phone_read, search_key
from .scope import contacts_visible_to, territories_visible_to, territory_q

_POSTAL_CODE = re.compile(r"^\d{5}$")
_PHONE_LIKE = re.compile(r"^[\d\s().+\-/]{6,}$")


@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    tag: int | None = None
    territory: int | None = None
    consent_channel: str = ""
    consent_status: str = ConsentStatus.GRANTED
    source: str = ""
    segment: int | None = None
    order: str = "newest"  # newest, name


def contact_search_q(text: str) -> Q:
    """What a search box means: an email, a phone in any format, a postal code, or names."""
    text = text.strip()
    if not text:
        return Q()
    if "@" in text:
        # Addresses are stored lower-case, so an exact match can use the index.
        emails = ContactEmail.objects.filter(address=text.lower())
        return Q(pk__in=emails.values("contact_id"))
    if _POSTAL_CODE.match(text):
        return Q(postal_code=text) | Q(insee_code=text)
    if _PHONE_LIKE.match(text):
        reading = phone_read(text)
        if reading.is_valid:
            return Q(pk__in=ContactPhone.objects.filter(e164=reading.e164).values("contact_id"))
        return Q(pk__in=ContactPhone.objects.filter(raw=text).values("contact_id"))
    # Each word must start a word of the names or commune, in any order: "le goff",
    # "goff frederique", "dupont lyon", "marie dup", "dalmeida" (normalize.search_words).
    words = search_key(text).split()
    if not words:  # punctuation only: no filter, as an empty box
        return Q()
    q = Q()
    for word in words:
        q &= Q(search_words__startswith=word) | Q(search_words__contains=f" {word}")
    if connection.vendor == "postgresql":
        # The index finds the rows; the LIKEs above, cheap, spare the prefixes' computation
        # on every row when the newest or name order is walked instead.
        q &= Q(_WordsStartedBy(words))
    return q


class _WordsStartedBy(Func):
    """PostgreSQL: each of `words` starts one of the contact's search words, through the GIN
    index of their text-search vector (contacts migration 0022). search_key leaves letters
    and digits only, nothing the query syntax would read: `le:* & goff:*`."""

    template = "contact_search_vector(%(expressions)s) @@ to_tsquery('simple'::regconfig, %%s)"
    output_field = BooleanField()

    def __init__(self, words: list[str]):
        super().__init__(F("search_words"))
        self.query = " & ".join(f"{word}:*" for word in words)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, self.query)


def contact_list(*, user: User, filters: ContactFilters) -> QuerySet[Contact]:
    """The contacts `user` may see that match `filters`, ordered, with what a list row shows.
    All but `filters.segment`: contacts.segments, a layer above, cuts the list to a segment's
    contacts (contacts_in_segment)."""
    # Erased people stay as anonymous rows for counts, not as contacts to work with.
    qs = contacts_visible_to(user).filter(erased_at__isnull=True)
    if filters.q:
        qs = qs.filter(contact_search_q(filters.q))
    if filters.tag:
        tagged = Contact.tags.through.objects.filter(contact_id=OuterRef("pk"), tag_id=filters.tag)
        qs = qs.filter(Exists(tagged))
    if filters.territory:
        territory = territories_visible_to(user).filter(pk=filters.territory).first()
        qs = qs.filter(territory_q([territory])) if territory else qs.none()
    if filters.consent_channel:
        on_channel = Consent.objects.filter(
            contact_id=OuterRef("pk"), channel=filters.consent_channel
        )
        if filters.consent_status == ConsentStatus.UNKNOWN:  # never asked, or no answer
            qs = qs.exclude(Exists(on_channel.exclude(status=ConsentStatus.UNKNOWN)))
        else:
            qs = qs.filter(Exists(on_channel.filter(status=filters.consent_status)))
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.order == "name":
        qs = qs.order_by("last_name_key", "first_name_key", "id")
    else:
        qs = qs.order_by("-id")
    return qs


def contact_list_rows(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Prefetch what a list row or an export line shows, in a fixed number of queries."""
    return contacts.prefetch_related(
        Prefetch("emails", queryset=ContactEmail.objects.order_by("-is_primary", "id")),
        Prefetch("phones", queryset=ContactPhone.objects.order_by("-is_primary", "id")),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        "consents",
    )


def contact_pages_for(user: User) -> QuerySet[Contact]:
    """The contacts `user` may open (detail, edit, rights pages), each with its channels."""
    return contact_list_rows(contacts_visible_to(user))


def tag_choices() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def home_summary(*, user: User) -> dict:
    """The figures and recent contacts on the staff home page, in a fixed number of queries.
    The two counts are kept a minute per user: at a million contacts, counting an
    organizer's hundred thousand takes longer than the rest of the page. The people new this
    week are counted as the funnel below them counts the acquired, by when we first heard of
    them (a signature, a door, an import), not by when their record was made (the demo's
    seed makes two years of people in a minute)."""

    visible = contacts_visible_to(user)

    def counts() -> dict:
        week_ago = timezone.now() - timedelta(days=7)
        total = count_capped(visible, cap=100_000)
        return {
            "total": total,
            "total_estimate": table_estimate(Contact) if total is None and user.is_admin else None,
            "new_this_week": count_capped(
                FunnelEntry.objects.filter(contact__in=visible, acquired_at__gte=week_ago),
                cap=10_000,
            ),
        }

    # get_or_set answers None only when the default gives None, which counts() never does.
    figures = cache.get_or_set(f"home-counts:{user.pk}", counts, timeout=60) or counts()
    return {
        **figures,
        "recent": list(visible.order_by("-id")[:8]),
        "territories": list(territories_visible_to(user)[:20]),
    }


def custom_field_names(*, people: QuerySet[Contact]) -> list[str]:
    """The names of the custom fields these people hold a value under, sorted. PostgreSQL
    lists a JSON object's keys itself; elsewhere (the embedded SQLite) they are read here."""
    people = people.exclude(custom_fields={})
    if connection.vendor == "postgresql":
        keys = people.annotate(
            key=Func(F("custom_fields"), function="jsonb_object_keys", output_field=CharField())
        ).order_by()
        return sorted(set(keys.values_list("key", flat=True).distinct()))
    names: set[str] = set()
    for fields in people.values_list("custom_fields", flat=True).iterator(chunk_size=2000):
        if isinstance(fields, dict):
            names.update(fields)
    return sorted(names)
