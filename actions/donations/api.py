"""Fundraising pages and donations in the public API (OSDI), and the record_donation_helper:
a gift received elsewhere, recorded through donation_record like one typed by hand, so the
law applies (a gift over a cap is recorded "to refund" with the excess)."""

import math
from typing import TYPE_CHECKING, TypedDict

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from campaign.api.osdi import CollectionApi, ItemApi, identifier, iso, link
from campaign.api.permissions import Public
from campaign.http import AuthenticatedRequest
from campaign.money import AmountError, money_amount
from campaign.ownership import get_in_scope_or_404, owned_visible_to
from contacts.api import PersonInput, signup_from
from contacts.imports.signup import api_person_signup
from contacts.scope import contacts_visible_to

from . import selectors, services
from .models import Donation, Drive
from .rules import decimal_amount
from .selectors import RECEIVED

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

METHODS = {
    "Credit Card": Donation.Method.CARD,
    "Debit Card": Donation.Method.CARD,
    "Check": Donation.Method.CHEQUE,
    "Cash": Donation.Method.CASH,
    "Direct Deposit": Donation.Method.TRANSFER,
    "Transfer": Donation.Method.TRANSFER,
    "Direct Debit": Donation.Method.DIRECT_DEBIT,
}
OSDI_METHOD: dict[str, str] = {
    Donation.Method.CARD: "Credit Card",
    Donation.Method.CHEQUE: "Check",
    Donation.Method.CASH: "Cash",
    Donation.Method.TRANSFER: "Transfer",
    Donation.Method.DIRECT_DEBIT: "Direct Debit",
}


class Raised(TypedDict):
    # The page's gifts received, their amounts and what is to be refunded of them (the sums
    # are None for a page without gifts).
    gifts: int
    raised_cents: int | None
    refunded_cents: int | None


def pages_for(request: Request) -> "QuerySet[WithAnnotations[Drive, Raised]]":
    """Anyone sees the published pages, as on the site; staff also the drafts they may open
    (campaign.ownership). Another territory's draft is a 404."""
    mine = owned_visible_to(Drive.objects.all(), request.user).values("pk")
    pages = Drive.objects.select_related("entity").filter(
        Q(pk__in=mine) | ~Q(status=Drive.Status.DRAFT)
    )
    received = Q(donations__status__in=RECEIVED)
    return pages.annotate(
        gifts=Count("donations", filter=received),
        raised_cents=Sum("donations__amount_cents", filter=received),
        refunded_cents=Sum("donations__refund_cents", filter=received),
    ).order_by("pk")


def page_shape(request: Request, page: "WithAnnotations[Drive, Raised]") -> dict:
    path = reverse("api:fundraising_page", kwargs={"pk": page.pk})
    donations = reverse("api:donations", kwargs={"pk": page.pk})
    return {
        "identifiers": [identifier(page.pk)],
        "created_date": iso(page.created_at),
        "title": page.title,
        "description": page.story,
        "currency": "EUR",
        "total_donations": page.gifts,
        "total_amount": decimal_amount((page.raised_cents or 0) - (page.refunded_cents or 0)),
        "terrain:goal": decimal_amount(page.goal_cents),
        "terrain:status": page.status,
        "browser_url": request.build_absolute_uri(
            reverse("donations:page", kwargs={"slug": page.slug})
        ),
        "_links": {
            "self": link(request, path),
            "osdi:donations": link(request, donations),
            "osdi:record_donation_helper": link(request, donations),
        },
    }


class FundraisingPagesApi(CollectionApi):
    """GET /api/v1/fundraising_pages."""

    name = "fundraising_pages"
    permission_classes = [Public]  # published pages, as on the site

    def rows(self, request: Request, **kwargs) -> "QuerySet[WithAnnotations[Drive, Raised]]":
        return pages_for(request)

    def shape(self, request: Request, row: "WithAnnotations[Drive, Raised]") -> dict:
        return page_shape(request, row)


class FundraisingPageApi(ItemApi):
    """GET /api/v1/fundraising_pages/<id>."""

    permission_classes = [Public]  # published pages, as on the site

    def rows(self, request: Request, **kwargs) -> "QuerySet[WithAnnotations[Drive, Raised]]":
        return pages_for(request)

    def shape(self, request: Request, row: "WithAnnotations[Drive, Raised]") -> dict:
        return page_shape(request, row)


class PaymentInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=sorted(METHODS))
    reference_number = serializers.CharField(max_length=100, required=False, allow_blank=True)


@extend_schema_field({"type": "string", "example": "35.00"})
class AmountInput(serializers.Field):
    """An amount in euros, a JSON number (35.5) or a string written any way people write
    money ("35.50", "4 600,00 €"), cleaned to cents more than zero (campaign.money); a 400
    saying why otherwise (zero, negative, NaN, infinities…)."""

    def to_internal_value(self, data) -> int:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            raise serializers.ValidationError(_("This amount cannot be read."))
        if isinstance(data, float):
            # JSON numbers arrive as floats: their shortest writing is the one sent.
            data = repr(data) if math.isfinite(data) else "NaN"
        try:
            return money_amount(data)
        except AmountError as error:
            raise serializers.ValidationError(error.message) from error

    def to_representation(self, value: int) -> str:
        return decimal_amount(value)


class RecipientInput(serializers.Serializer):
    display_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = AmountInput()


class DeclarationsInput(serializers.Serializer):
    natural_person = serializers.BooleanField()
    french_or_resident = serializers.BooleanField()
    other_parties_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="To a party: what the donor declared they gave other parties this calendar "
        "year, in euros; counted in the 7,500 € cap, which is for all parties together.",
    )


class DonationInput(serializers.Serializer):
    person = PersonInput()
    recipients = serializers.ListField(child=RecipientInput(), min_length=1, max_length=1)
    payment = PaymentInput()
    action_date = serializers.DateField(required=False)
    declarations = DeclarationsInput(
        required=False,
        help_text="The donor's two declarations the law asks for. Without them the gift is "
        "recorded to refund in full.",
    )


class DonationsApi(CollectionApi):
    """GET /api/v1/fundraising_pages/<id>/donations: the page's gifts from people the caller
    may see. POST (the record_donation_helper): record a gift received elsewhere; 201, or
    200 when that payment reference was recorded already."""

    name = "donations"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Donation]:
        page = get_in_scope_or_404(pages_for(request), pk=kwargs["pk"])
        return selectors.donations_for_staff(request.user).filter(drive=page).order_by("pk")

    def shape(self, request: Request, row: Donation) -> dict:
        person = reverse("api:person", kwargs={"uuid": row.contact.uuid})
        # A gift recorded by hand or imported is on no page: it is listed with its donor.
        listed = (
            reverse("api:donations", kwargs={"pk": row.drive_id})
            if row.drive_id
            else reverse("api:person_donations", kwargs={"uuid": row.contact.uuid})
        )
        links = {"self": link(request, listed + f"#{row.pk}"), "osdi:person": link(request, person)}
        if row.drive_id:
            page = reverse("api:fundraising_page", kwargs={"pk": row.drive_id})
            links["osdi:fundraising_page"] = link(request, page)
        return {
            "identifiers": [identifier(row.pk)],
            "created_date": iso(row.created_at),
            "action_date": row.received_on.isoformat(),
            "amount": decimal_amount(row.amount_cents),
            "currency": "EUR",
            "recipients": [
                {"display_name": row.entity.name, "amount": decimal_amount(row.amount_cents)}
            ],
            "payment": {
                "method": OSDI_METHOD.get(row.method, row.method),
                "reference_number": row.provider_txn_id,
            },
            "terrain:status": row.status,
            "terrain:to_refund": decimal_amount(row.refund_cents),
            "_links": links,
        }

    @extend_schema(
        request=DonationInput, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}
    )
    @transaction.atomic
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        # A gift goes only to a page the caller may open (theirs or the whole campaign's).
        page = get_in_scope_or_404(owned_visible_to(pages_for(request), request.user), pk=pk)
        body = DonationInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        declared = data.get("declarations") or {}
        token = getattr(request.auth, "name", "") or "api"
        contact = api_person_signup(
            actor=request.user, signup=signup_from(data), source_detail=token, gift=True
        ).contact
        # A payment reference counts once per caller: the token's owner, never the token's
        # name (two users' tokens may share one, and one would get the other's gift back).
        provider = f"api:user-{request.user.pk}"
        recorded = services.donation_record(
            entity=page.entity,
            contact=contact,
            amount_cents=data["recipients"][0]["amount"],  # in cents: AmountInput read it
            method=METHODS[data["payment"]["method"]],
            received_on=data.get("action_date") or timezone.localdate(),
            natural_person=declared.get("natural_person", False),
            french_or_resident=declared.get("french_or_resident", False),
            other_parties_cents=int(declared.get("other_parties_amount", 0) * 100),
            online=False,
            provider=provider,
            provider_txn_id=data["payment"].get("reference_number", ""),
            actor=request.user,
            stored={"drive": page},
        )
        donation = Donation.objects.select_related("entity", "contact").get(pk=recorded.donation.pk)
        return Response(self.shape(request, donation), status=201 if recorded.created else 200)


class PersonDonationsApi(CollectionApi):
    """GET /api/v1/people/<uuid>/donations: a person's gifts, on any page or none, if the
    caller may see the person, in the shape of a page's. Reading only: gifts are recorded
    at a page's donations."""

    name = "donations"
    shape = DonationsApi.shape

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Donation]:
        person = get_in_scope_or_404(
            contacts_visible_to(request.user), uuid=kwargs["uuid"], erased_at__isnull=True
        )
        return selectors.donations_for_staff(request.user).filter(contact=person).order_by("pk")


class AllDonationsApi(CollectionApi):
    """GET /api/v1/donations: every gift from a person the caller may see, on any page or
    none, as Action Network lists them (its clients read them there), oldest first."""

    name = "donations"
    shape = DonationsApi.shape

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Donation]:
        return selectors.donations_for_staff(request.user).order_by("pk")


class DonationApi(ItemApi):
    """GET /api/v1/donations/<id>: one gift, from a person the caller may see."""

    shape = DonationsApi.shape

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Donation]:
        return selectors.donations_for_staff(request.user)
