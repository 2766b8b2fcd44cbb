"""People in the public API, in OSDI's shape: read, page and filter what the token's user may
see. Thin: scope and reads come from the selectors."""

import uuid

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.api.osdi import (
    NAMESPACE,
    OPERATORS,
    PAGING,
    CollectionApi,
    ItemApi,
    OsdiApiMixin,
    filter_moment,
    identifier,
    iso,
    link,
    parse_filter,
)
from campaign.http import AuthenticatedRequest
from campaign.ownership import get_in_scope_or_404

from . import services
from .imports.people import PersonRow
from .imports.signup import Signup, api_person_signup
from .models import Consent, ConsentStatus, Contact, ContactPhone, Segment, Tag
from .normalize import phone_read
from .scope import contacts_visible_to
from .segments.selectors import segment_contacts, segments_visible_to

FILTERS = {
    "modified_date": {"gt", "lt", "ge", "le"},
    "created_date": {"gt", "lt", "ge", "le"},
    "email_address": {"eq"},
    "phone_number": {"eq"},
    "postal_code": {"eq"},
}
_EMAIL_STATUS: dict[str | None, str] = {
    ConsentStatus.GRANTED: "subscribed",
    ConsentStatus.WITHDRAWN: "unsubscribed",
}
_PHONE_TYPE: dict[str, str] = {
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
            lookup = f"{column}__{OPERATORS[condition.operator]}"
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


@extend_schema(
    parameters=[
        *PAGING,
        OpenApiParameter(
            "filter",
            str,
            description="e.g. modified_date gt '2026-01-01' and postal_code eq '69001'",
        ),
    ]
)
class PeopleApi(CollectionApi):
    """GET /api/v1/people: the people the token's user may see, a page at a time, oldest
    first; `filter` narrows them (modified_date, created_date, email_address, phone_number,
    postal_code)."""

    name = "people"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Contact]:
        people = contacts_visible_to(request.user)
        people = people_filtered(people, request.query_params.get("filter", ""))
        return people_rows(people).order_by("pk")

    def shape(self, request: Request, row: Contact) -> dict:
        return person_shape(request, row)


class PersonApi(ItemApi):
    """GET /api/v1/people/<uuid>: one person, if the token's user may see them."""

    lookup = "uuid"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Contact]:
        return people_rows(contacts_visible_to(request.user))

    def shape(self, request: Request, row: Contact) -> dict:
        return person_shape(request, row)


# Writing: the person_signup_helper ----------------------------------------------------------


class EmailInput(serializers.Serializer):
    address = serializers.EmailField(max_length=254)
    primary = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(
        choices=["subscribed", "unsubscribed", "bouncing", "spam complaint"], required=False
    )


class PhoneInput(serializers.Serializer):
    number = serializers.CharField(max_length=30)
    primary = serializers.BooleanField(required=False)
    number_type = serializers.CharField(max_length=20, required=False)
    status = serializers.ChoiceField(choices=["subscribed", "unsubscribed"], required=False)


class PostalAddressInput(serializers.Serializer):
    address_lines = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=3
    )
    locality = serializers.CharField(max_length=150, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)


class PersonInput(serializers.Serializer):
    given_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    birthdate = serializers.DateField(required=False, allow_null=True)
    email_addresses = serializers.ListField(child=EmailInput(), required=False, max_length=5)
    phone_numbers = serializers.ListField(child=PhoneInput(), required=False, max_length=5)
    postal_addresses = serializers.ListField(
        child=PostalAddressInput(), required=False, max_length=3
    )
    custom_fields = serializers.DictField(
        child=serializers.CharField(max_length=1000, allow_blank=True), required=False
    )

    def validate(self, data):
        if not data.get("email_addresses") and not data.get("phone_numbers"):
            raise serializers.ValidationError("A person needs an email address or a phone number.")
        return data


class SignupInput(serializers.Serializer):
    person = PersonInput()
    add_tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    remove_tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )


def signup_from(data: dict) -> Signup:
    person = data["person"]
    email = (person.get("email_addresses") or [{}])[0]
    phone = (person.get("phone_numbers") or [{}])[0]
    address = (person.get("postal_addresses") or [{}])[0]
    return Signup(
        person=PersonRow(
            first_name=person.get("given_name", ""),
            last_name=person.get("family_name", ""),
            email=email.get("address", ""),
            phone=phone.get("number", ""),
            street=" ".join(address.get("address_lines") or []),
            postal_code=address.get("postal_code", ""),
            commune=address.get("locality", ""),
            birth_date=person.get("birthdate"),
            custom_fields=person.get("custom_fields") or {},
        ),
        email_status=email.get("status", ""),
        sms_status=phone.get("status", ""),
        add_tags=tuple(data.get("add_tags") or ()),
        remove_tags=tuple(data.get("remove_tags") or ()),
    )


class PersonSignupHelperApi(OsdiApiMixin, APIView):
    """POST /api/v1/people/person_signup_helper: create a person or complete the one they
    already are (matched by email, phone, or name and address), with their consents and
    tags. 201 for a new person, 200 for one already known; the person comes back. Staff
    only, within their scope; "subscribed" never undoes a withdrawal (contacts.imports.signup)."""

    @extend_schema(
        request=SignupInput, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        body = SignupInput(data=request.data)
        body.is_valid(raise_exception=True)
        token_name = getattr(request.auth, "name", "") or request.user.get_username()
        done = api_person_signup(
            actor=request.user, signup=signup_from(body.validated_data), source_detail=token_name
        )
        contact = people_rows(Contact.objects.filter(pk=done.contact.pk)).get()
        return Response(person_shape(request, contact), status=201 if done.created else 200)


# Tags and taggings, lists and their items ---------------------------------------------------


def tag_shape(request: Request, tag: Tag) -> dict:
    taggings = reverse("api:taggings", kwargs={"pk": tag.pk})
    return {
        "identifiers": [identifier(tag.pk)],
        "created_date": iso(tag.created_at),
        "modified_date": iso(tag.created_at),
        "name": tag.name,
        "_links": {
            "self": link(request, reverse("api:tag", kwargs={"pk": tag.pk})),
            "osdi:taggings": link(request, taggings),
        },
    }


class TagsApi(CollectionApi):
    """GET /api/v1/tags."""

    name = "tags"

    def rows(self, request: Request, **kwargs) -> QuerySet[Tag]:
        return Tag.objects.order_by("pk")

    def shape(self, request: Request, row: Tag) -> dict:
        return tag_shape(request, row)


class TagApi(ItemApi):
    """GET /api/v1/tags/<id>."""

    def rows(self, request: Request, **kwargs) -> QuerySet[Tag]:
        return Tag.objects.all()

    def shape(self, request: Request, row: Tag) -> dict:
        return tag_shape(request, row)


class TaggingInput(serializers.Serializer):
    person = serializers.CharField(
        max_length=300, help_text="The person's link (its href) or identifier (terrain:<uuid>)."
    )


def person_from(request: AuthenticatedRequest, reference: str) -> Contact:
    """A person the caller may see, from their API link or their OSDI identifier."""
    key = reference.rstrip("/").rsplit("/", 1)[-1].removeprefix(f"{NAMESPACE}:")
    try:
        key = str(uuid.UUID(key))
    except ValueError:
        raise serializers.ValidationError(
            {"person": "Not a person's link or identifier."}
        ) from None
    return get_in_scope_or_404(contacts_visible_to(request.user), uuid=key, erased_at__isnull=True)


class TaggingsApi(CollectionApi):
    """GET /api/v1/tags/<id>/taggings: the people with this tag the caller may see. POST
    {"person": "<link or terrain:uuid>"} tags one of them (201)."""

    name = "taggings"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Contact]:
        tag = get_in_scope_or_404(Tag.objects.all(), pk=kwargs["pk"])
        return contacts_visible_to(request.user).filter(tags=tag).order_by("pk")

    def shape(self, request: Request, row: Contact) -> dict:
        tag = reverse("api:tag", kwargs={"pk": self.kwargs["pk"]})
        return {
            "identifiers": [identifier(f"{self.kwargs['pk']}-{row.uuid}")],
            "_links": {
                "self": link(request, reverse("api:taggings", kwargs=self.kwargs) + f"#{row.uuid}"),
                "osdi:tag": link(request, tag),
                "osdi:person": link(request, reverse("api:person", kwargs={"uuid": row.uuid})),
            },
        }

    @extend_schema(request=TaggingInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        tag = get_in_scope_or_404(Tag.objects.all(), pk=pk)
        body = TaggingInput(data=request.data)
        body.is_valid(raise_exception=True)
        contact = person_from(request, body.validated_data["person"])
        services.contact_tag(contact=contact, actor=request.user, add=[tag.name])
        return Response(self.shape(request, contact), status=201)


def list_shape(request: Request, segment: Segment) -> dict:
    return {
        "identifiers": [identifier(segment.pk)],
        "created_date": iso(segment.created_at),
        "modified_date": iso(segment.updated_at),
        "name": segment.name,
        "description": segment.description,
        "terrain:static": segment.is_static,
        "_links": {
            "self": link(request, reverse("api:list", kwargs={"pk": segment.pk})),
            "osdi:items": link(request, reverse("api:list_items", kwargs={"pk": segment.pk})),
        },
    }


class ListsApi(CollectionApi):
    """GET /api/v1/lists: the segments."""

    name = "lists"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Segment]:
        return segments_visible_to(request.user).order_by("pk")

    def shape(self, request: Request, row: Segment) -> dict:
        return list_shape(request, row)


class ListApi(ItemApi):
    """GET /api/v1/lists/<id>."""

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Segment]:
        return segments_visible_to(request.user)

    def shape(self, request: Request, row: Segment) -> dict:
        return list_shape(request, row)


class ListItemsApi(CollectionApi):
    """GET /api/v1/lists/<id>/items: the segment's people the caller may see, now."""

    name = "items"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Contact]:
        segment = get_in_scope_or_404(segments_visible_to(request.user), pk=kwargs["pk"])
        return segment_contacts(user=request.user, segment=segment).order_by("pk")

    def shape(self, request: Request, row: Contact) -> dict:
        return {
            "identifiers": [identifier(f"{self.kwargs['pk']}-{row.uuid}")],
            "_links": {
                "self": link(
                    request, reverse("api:list_items", kwargs=self.kwargs) + f"#{row.uuid}"
                ),
                "osdi:list": link(request, reverse("api:list", kwargs=self.kwargs)),
                "osdi:person": link(request, reverse("api:person", kwargs={"uuid": row.uuid})),
            },
        }
