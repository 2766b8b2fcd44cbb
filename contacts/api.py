"""People in the public API, in OSDI's shape: read, page and filter what the token's user may
see. Thin: scope and reads come from the selectors."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.api.osdi import (
    OsdiApiMixin,
    collection,
    filter_moment,
    identifier,
    iso,
    link,
    paginate,
    parse_filter,
)

from .models import Consent, ConsentStatus, Contact, ContactPhone
from .normalize import phone_read
from .scope import contacts_visible_to

FILTERS = {
    "modified_date": {"gt", "lt", "ge", "le"},
    "created_date": {"gt", "lt", "ge", "le"},
    "email_address": {"eq"},
    "phone_number": {"eq"},
    "postal_code": {"eq"},
}
_LOOKUPS = {"gt": "gt", "lt": "lt", "ge": "gte", "le": "lte"}
_EMAIL_STATUS = {ConsentStatus.GRANTED: "subscribed", ConsentStatus.WITHDRAWN: "unsubscribed"}
_PHONE_TYPE = {
    ContactPhone.Kind.MOBILE: "Mobile",
    ContactPhone.Kind.LANDLINE: "Home",
    ContactPhone.Kind.OTHER: "Other",
}


def people_filtered(people: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    joined = False  # a filter on emails or phones can match a person twice
    for condition in parse_filter(text, FILTERS):
        value = condition.value
        if condition.field in ("modified_date", "created_date"):
            column = "updated_at" if condition.field == "modified_date" else "created_at"
            lookup = f"{column}__{_LOOKUPS[condition.operator]}"
            people = people.filter(**{lookup: filter_moment(value)})
        elif condition.field == "email_address":
            people, joined = people.filter(emails__address__iexact=value.strip()), True
        elif condition.field == "phone_number":
            number = phone_read(value).e164
            people, joined = (people.filter(phones__e164=number) if number else people.none()), True
        elif condition.field == "postal_code":
            people = people.filter(postal_code=value.strip())
    return people.distinct() if joined else people


def people_rows(people: QuerySet[Contact]) -> QuerySet[Contact]:
    """What a person's OSDI shape needs, in one query per child table for the page."""
    return people.filter(erased_at__isnull=True).prefetch_related(
        "emails",
        "phones",
        Prefetch("consents", queryset=Consent.objects.only("contact_id", "channel", "status")),
    )


def person_shape(request: Request, contact: Contact) -> dict:
    consents = {c.channel: c.status for c in contact.consents.all()}
    email_status = _EMAIL_STATUS.get(consents.get("email"))
    sms_status = _EMAIL_STATUS.get(consents.get("sms"))
    path = reverse("api:person", kwargs={"uuid": contact.uuid})
    postal = {
        "primary": True,
        "address_lines": [contact.street] if contact.street else [],
        "locality": contact.commune,
        "postal_code": contact.postal_code,
        "country": "FR",
    }
    return {
        "identifiers": [identifier(contact.uuid)],
        "created_date": iso(contact.created_at),
        "modified_date": iso(contact.updated_at),
        "given_name": contact.first_name,
        "family_name": contact.last_name,
        "birthdate": contact.birth_date.isoformat() if contact.birth_date else None,
        "email_addresses": [
            {"address": e.address, "primary": e.is_primary}
            | ({"status": email_status} if email_status else {})
            for e in contact.emails.all()
        ],
        "phone_numbers": [
            {
                "number": p.e164 or p.raw,
                "primary": p.is_primary,
                "number_type": _PHONE_TYPE.get(p.kind, "Other"),
                "sms_capable": p.kind == ContactPhone.Kind.MOBILE and not p.sms_blocked,
            }
            | ({"status": sms_status} if sms_status else {})
            for p in contact.phones.all()
        ],
        "postal_addresses": [postal] if (contact.street or contact.postal_code) else [],
        "custom_fields": contact.custom_fields or {},
        "terrain:source": {"kind": contact.source, "detail": contact.source_detail},
        "_links": {"self": link(request, path)},
    }


class PeopleApi(OsdiApiMixin, APIView):
    """GET /api/v1/people: the people the token's user may see, a page at a time, oldest
    first; `filter` narrows them (modified_date, created_date, email_address, phone_number,
    postal_code)."""

    def get(self, request: Request) -> Response:
        people = people_filtered(
            contacts_visible_to(request.user), request.query_params.get("filter", "")
        )
        page = paginate(request, people_rows(people).order_by("pk"))
        embedded = [person_shape(request, contact) for contact in page.items]
        return Response(collection(request, reverse("api:people"), "people", page, embedded))


class PersonApi(OsdiApiMixin, APIView):
    """GET /api/v1/people/<uuid>: one person, if the token's user may see them."""

    def get(self, request: Request, uuid) -> Response:
        contact = people_rows(contacts_visible_to(request.user)).filter(uuid=uuid).first()
        if contact is None:
            raise Http404
        return Response(person_shape(request, contact))
