"""People in the public API, in OSDI's shape: read, page and filter what the token's user may
see. Thin: scope and reads come from the selectors."""

import uuid

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.api.osdi import (
    CURIES,
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
from .osdi_writes import PersonChanges, api_person_update, tag_create
from .scope import contacts_visible_to
from .segments.selectors import segment_contacts, segments_visible_to
from .selectors import custom_field_names

FILTERS = {
    "modified_date": {"gt", "lt", "ge", "le"},
    "created_date": {"gt", "lt", "ge", "le"},
    "email_address": {"eq"},
    "phone_number": {"eq"},
    "postal_code": {"eq"},
    "identifiers": {"eq"},
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
        elif condition.field == "identifiers":
            people = people_identified(people, value.strip())
    return people.distinct() if joined else people


def people_identified(people: QuerySet[Contact], key: str) -> QuerySet[Contact]:
    """The person one of their identifiers names: Terrain's own (terrain:<uuid>) or one of
    another system's kept on them ("foreign_system:1"). Identifiers are unique: one row."""
    if "\x00" in key:  # no database stores it, and PostgreSQL refuses it in a query
        return people.none()
    own = key.removeprefix(f"{NAMESPACE}:")
    if own != key:
        try:
            return people.filter(uuid=uuid.UUID(own))
        except ValueError:
            return people.none()
    return people.filter(identifiers__value=key)


def people_rows(people: QuerySet[Contact]) -> QuerySet[Contact]:
    """What a person's OSDI shape needs, in one query per child table for the page."""
    return people.filter(erased_at__isnull=True).prefetch_related(
        "emails",
        "phones",
        "identifiers",
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
        "country": contact.country or "FR",  # kept empty for France before it was kept
    }
    return {
        "identifiers": [identifier(contact.uuid), *(i.value for i in contact.identifiers.all())],
        "created_date": iso(contact.created_at),
        "modified_date": iso(contact.updated_at),
        "given_name": contact.first_name,
        "family_name": contact.last_name,
        "birthdate": contact.birth_date.isoformat() if contact.birth_date else None,
        "email_addresses": [
            {"address": e.address, "primary": e.is_primary}
            # OSDI's "bouncing": the address refused mail for good (a hard bounce).
            | ({"status": "bouncing"} if e.bounced_at else {})
            | ({"status": email_status} if email_status and not e.bounced_at else {})
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

    def post(self, request: AuthenticatedRequest) -> Response:  # schema: below
        """POST /api/v1/people: the person signup helper (see PersonSignupHelperApi)."""
        return person_signed_up(request)


class PersonApi(ItemApi):
    """GET /api/v1/people/<uuid>: one person, if the token's user may see them. PUT changes
    them with OSDI's fields (PersonUpdateInput): what is not sent stays as it is."""

    lookup = "uuid"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Contact]:
        return people_rows(contacts_visible_to(request.user))

    def shape(self, request: Request, row: Contact) -> dict:
        return person_shape(request, row)

    def put(self, request: AuthenticatedRequest, **kwargs) -> Response:  # schema: below
        contact = get_in_scope_or_404(
            self.rows(request, **kwargs), **{self.lookup: kwargs[self.lookup]}
        )
        body = PersonUpdateInput(data=request.data)
        body.is_valid(raise_exception=True)
        api_person_update(
            actor=request.user,
            contact=contact,
            changes=person_changes_from(body.validated_data),
            source_detail=caller_name(request),
        )
        contact = people_rows(Contact.objects.filter(pk=contact.pk)).get()
        return Response(person_shape(request, contact))


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
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        allow_blank=True,
        help_text="ISO 3166 code: FR, RU…",
        error_messages={"invalid": "A country is its two-letter ISO code (FR, RU…)."},
    )

    def validate_country(self, value: str) -> str:
        return value.upper()


class PersonInput(serializers.Serializer):
    identifiers = serializers.ListField(
        child=serializers.RegexField(
            r"^[^\s:]+:\S+$",
            max_length=255,
            error_messages={"invalid": "An identifier is system:id, e.g. foreign_system:1."},
        ),
        required=False,
        max_length=20,
    )
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


class PersonUpdateInput(PersonInput):
    """A PUT's person: every field may be left out (it then stays as it is)."""

    def validate(self, data):
        return data


def person_changes_from(data: dict) -> PersonChanges:
    """An OSDI PUT's body as the changes it says; a field not sent is not changed."""
    fields: dict = {}
    country = None  # not said: the address is not sent
    for osdi_name, name in (
        ("given_name", "first_name"),
        ("family_name", "last_name"),
        ("birthdate", "birth_date"),
    ):
        if osdi_name in data:
            fields[name] = data[osdi_name]
    if "postal_addresses" in data:  # one address is kept: the first sent
        address = (data["postal_addresses"] or [{}])[0]
        fields["street"] = " ".join(address.get("address_lines") or [])
        fields["postal_code"] = address.get("postal_code", "")
        fields["commune"] = address.get("locality", "")
        country = address.get("country", "")
    emails, phones = data.get("email_addresses"), data.get("phone_numbers")
    return PersonChanges(
        fields=fields,
        custom_fields=data.get("custom_fields"),
        emails=None
        if emails is None
        else [services.EmailInput(e["address"], e.get("primary", False)) for e in emails],
        phones=None
        if phones is None
        else [services.PhoneInput(p["number"], p.get("primary", False)) for p in phones],
        email_status=(emails or [{}])[0].get("status", ""),
        sms_status=(phones or [{}])[0].get("status", ""),
        country=country,
        identifiers=tuple(data.get("identifiers") or ()),
    )


# PersonApi is above, with the reads; its PUT's body is only known here.
extend_schema_view(put=extend_schema(request=PersonUpdateInput, responses=OpenApiTypes.OBJECT))(
    PersonApi
)


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
        identifiers=tuple(person.get("identifiers") or ()),
        country=address.get("country", ""),
    )


# PeopleApi is above, with the reads; its POST's body is only known here.
extend_schema_view(
    post=extend_schema(
        request=SignupInput, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}
    )
)(PeopleApi)


class PersonSignupHelperApi(OsdiApiMixin, APIView):
    """POST /api/v1/people/person_signup_helper: create a person or complete the one they
    already are (matched by email, phone, or name and address), with their consents and
    tags. 201 for a new person, 200 for one already known; the person comes back. Staff
    only, within their scope; "subscribed" never undoes a withdrawal (contacts.imports.signup)."""

    @extend_schema(
        request=SignupInput, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return person_signed_up(request)


def caller_name(request: AuthenticatedRequest) -> str:
    """Who writes, as the timeline and consents say it: the token's name, or the user's."""
    return getattr(request.auth, "name", "") or request.user.get_username()


def person_signed_up(request: AuthenticatedRequest) -> Response:
    """The signup helper's answer, at its own link and at POST /people (Action Network takes
    it there too, and clients call it there)."""
    body = SignupInput(data=request.data)
    body.is_valid(raise_exception=True)
    done = api_person_signup(
        actor=request.user,
        signup=signup_from(body.validated_data),
        source_detail=caller_name(request),
    )
    contact = people_rows(Contact.objects.filter(pk=done.contact.pk)).get()
    return Response(person_shape(request, contact), status=201 if done.created else 200)


# Tags and taggings, lists and their items ---------------------------------------------------


# Action Network's clients take a tag's id from its identifier in Action Network's namespace
# (Parsons' add_tag fails without one). A tag holds no identifier of another system, so
# Terrain's id is given there too, unambiguously. (A person may hold Action Network's own
# identifier, kept from a sync: theirs stays Terrain's alone.)
ACTION_NETWORK = "action_network"


def tag_shape(request: Request, tag: Tag) -> dict:
    taggings = reverse("api:taggings", kwargs={"pk": tag.pk})
    return {
        "identifiers": [identifier(tag.pk), f"{ACTION_NETWORK}:{tag.pk}"],
        "created_date": iso(tag.created_at),
        "modified_date": iso(tag.created_at),
        "name": tag.name,
        "_links": {
            "self": link(request, reverse("api:tag", kwargs={"pk": tag.pk})),
            "osdi:taggings": link(request, taggings),
        },
    }


class TagInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class TagsApi(CollectionApi):
    """GET /api/v1/tags. POST {"name": "..."} makes a tag (201); a name already taken is a
    400 that says so."""

    name = "tags"

    def rows(self, request: Request, **kwargs) -> QuerySet[Tag]:
        return Tag.objects.order_by("pk")

    def shape(self, request: Request, row: Tag) -> dict:
        return tag_shape(request, row)

    @extend_schema(request=TagInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: AuthenticatedRequest) -> Response:
        body = TagInput(data=request.data)
        body.is_valid(raise_exception=True)
        tag = tag_create(name=body.validated_data["name"])
        return Response(tag_shape(request, tag), status=201)


class TagApi(ItemApi):
    """GET /api/v1/tags/<id>."""

    def rows(self, request: Request, **kwargs) -> QuerySet[Tag]:
        return Tag.objects.all()

    def shape(self, request: Request, row: Tag) -> dict:
        return tag_shape(request, row)


class HrefInput(serializers.Serializer):
    href = serializers.CharField(max_length=300)


class TaggingLinksInput(serializers.Serializer):
    def get_fields(self):
        return {"osdi:person": HrefInput(required=False)}  # no Python attribute is named so


class TaggingInput(serializers.Serializer):
    """OSDI's body, {"_links": {"osdi:person": {"href": ".../people/<uuid>"}}}, or Terrain's
    {"person": "<link or terrain:uuid>"}."""

    person = serializers.CharField(
        max_length=300,
        required=False,
        help_text="The person's link (its href) or identifier (terrain:<uuid>).",
    )

    def get_fields(self):
        return super().get_fields() | {"_links": TaggingLinksInput(required=False)}

    def validate(self, data):
        person = data.get("person") or data.get("_links", {}).get("osdi:person", {}).get("href")
        if not person:
            raise serializers.ValidationError(
                {"person": 'Give the person as _links["osdi:person"]["href"] or as "person".'}
            )
        return {"person": person}


def tagging_shape(request: Request, tag_pk: int, person_uuid: uuid.UUID) -> dict:
    """One tagging: this tag on this person (a tag and a person make it, so both name it)."""
    path = reverse("api:tagging", kwargs={"pk": tag_pk, "uuid": person_uuid})
    return {
        "identifiers": [identifier(f"{tag_pk}-{person_uuid}")],
        "item_type": "osdi:person",
        "_links": {
            "self": link(request, path),
            "osdi:tag": link(request, reverse("api:tag", kwargs={"pk": tag_pk})),
            "osdi:person": link(request, reverse("api:person", kwargs={"uuid": person_uuid})),
        },
    }


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
        return tagging_shape(request, self.kwargs["pk"], row.uuid)

    @extend_schema(request=TaggingInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        tag = get_in_scope_or_404(Tag.objects.all(), pk=pk)
        body = TaggingInput(data=request.data)
        body.is_valid(raise_exception=True)
        contact = person_from(request, body.validated_data["person"])
        services.contact_tag(contact=contact, actor=request.user, add=[tag.name])
        return Response(self.shape(request, contact), status=201)


class TaggingApi(OsdiApiMixin, APIView):
    """GET /api/v1/tags/<id>/taggings/<person's uuid>, or /taggings/<id>-<person's uuid> (the
    tagging's id, as its identifier gives it): this tag on a person the caller may see;
    DELETE takes it off them (untags). A 404 for a person out of scope or untagged."""

    def tagged(
        self, request: AuthenticatedRequest, pk: int, uuid: uuid.UUID, tag_pk: int | None
    ) -> tuple:
        if tag_pk not in (None, pk):  # a tagging's id names its tag: another tag's is not here
            raise Http404
        tag = get_in_scope_or_404(Tag.objects.all(), pk=pk)
        people = contacts_visible_to(request.user).filter(tags=tag, erased_at__isnull=True)
        return tag, get_in_scope_or_404(people, uuid=uuid)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(
        self, request: AuthenticatedRequest, pk: int, uuid: uuid.UUID, tag_pk: int | None = None
    ) -> Response:
        tag, contact = self.tagged(request, pk, uuid, tag_pk)
        return Response(tagging_shape(request, tag.pk, contact.uuid))

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def delete(
        self, request: AuthenticatedRequest, pk: int, uuid: uuid.UUID, tag_pk: int | None = None
    ) -> Response:
        tag, contact = self.tagged(request, pk, uuid, tag_pk)
        services.contact_tag(contact=contact, actor=request.user, remove=[tag.name])
        return Response({"notice": "This tagging was successfully deleted."})


class PersonTaggingsApi(CollectionApi):
    """GET /api/v1/people/<uuid>/taggings: the tags on a person the caller may see."""

    name = "taggings"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Tag]:
        people = contacts_visible_to(request.user).filter(erased_at__isnull=True)
        return get_in_scope_or_404(people, uuid=kwargs["uuid"]).tags.order_by("pk")

    def shape(self, request: Request, row: Tag) -> dict:
        return tagging_shape(request, row.pk, self.kwargs["uuid"])


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
        return list_item_shape(request, self.kwargs["pk"], row)


def list_item_shape(request: Request, segment_pk: int, row: Contact) -> dict:
    """One person of a list (a segment and a person make it, so both name it)."""
    item = reverse(
        "api:list_item", kwargs={"pk": segment_pk, "list_pk": segment_pk, "uuid": row.uuid}
    )
    return {
        "identifiers": [identifier(f"{segment_pk}-{row.uuid}")],
        "_links": {
            "self": link(request, item),
            "osdi:list": link(request, reverse("api:list", kwargs={"pk": segment_pk})),
            "osdi:person": link(request, reverse("api:person", kwargs={"uuid": row.uuid})),
        },
    }


class ListItemApi(OsdiApiMixin, APIView):
    """GET /api/v1/lists/<id>/items/<id>-<person's uuid> (the item's id, as its identifier
    gives it): one person of the segment, if the caller may see them."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(
        self, request: AuthenticatedRequest, pk: int, list_pk: int, uuid: uuid.UUID
    ) -> Response:
        if list_pk != pk:  # an item's id names its list
            raise Http404
        segment = get_in_scope_or_404(segments_visible_to(request.user), pk=pk)
        people = segment_contacts(user=request.user, segment=segment)
        return Response(list_item_shape(request, pk, get_in_scope_or_404(people, uuid=uuid)))


# A person by another system's identifier, and the custom fields' names ----------------------


class PersonByIdentifierApi(OsdiApiMixin, APIView):
    """GET /api/v1/people/<identifier>: one person by an identifier they carry, another
    system's ("foreign_system:1") or Terrain's (terrain:<uuid>), if the caller may see
    them. A sync finds its own records again this way."""

    @extend_schema(operation_id="v1_people_by_identifier", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: AuthenticatedRequest, key: str) -> Response:
        people = people_identified(people_rows(contacts_visible_to(request.user)), key)
        return Response(person_shape(request, get_in_scope_or_404(people)))


class MetadataApi(OsdiApiMixin, APIView):
    """GET /api/v1/metadata: Action Network's metadata resource, which links to the custom
    fields' names."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(
            {
                "name": "Terrain",
                "_links": {
                    "self": link(request, reverse("api:metadata")),
                    "action_network:custom_fields": link(request, reverse("api:custom_fields")),
                    "curies": CURIES,
                },
            }
        )


class CustomFieldsApi(OsdiApiMixin, APIView):
    """GET /api/v1/metadata/custom_fields: the names of the custom fields the people the
    caller may see hold, as Action Network's metadata lists them."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: AuthenticatedRequest) -> Response:
        names = custom_field_names(
            people=contacts_visible_to(request.user).filter(erased_at__isnull=True)
        )
        return Response(
            {
                "name": "Custom Fields",
                "_links": {
                    "self": link(request, reverse("api:custom_fields")),
                    "curies": CURIES,
                },
                "action_network:custom_fields": [{"name": name} for name in names],
            }
        )
