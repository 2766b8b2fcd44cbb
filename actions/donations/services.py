"""Writes for donations: every gift judged against the law at the moment it is recorded,
under a lock per donor so that two gifts at once cannot both slip under a cap."""

import calendar
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.locks import transaction_lock
from campaign.models import User
from campaign.money import AmountError, money_amount
from campaign.ownership import may_change
from campaign.slugs import free_slug
from campaign.webhooks.models import Event
from campaign.webhooks.services import person_brief, webhooks_emit
from contacts import services as contact_services
from contacts.funnel.services import stage_reach
from contacts.funnel.stages import Stage
from contacts.identity import (
    identity_lock,
    person_find,
    person_identity,
    person_records,
    records_lock,
)
from contacts.models import Contact, Source

from . import rules, selectors
from .emails import donor_thanks_queue, monthly_stop_notice_queue
from .models import Donation, Drive, Entity, Receipt, ReceiptCounter
from .providers import card_provider, provider
from .receipts import receipt_sequence_year
from .selectors import RECEIVED, donor_moment


def cents(amount: str | Decimal | int) -> int:
    """The amount of a gift, "4 600,00 €" or Decimal("12.50"), in cents: more than zero and
    exact to the cent (campaign.money reads every way of writing it); never a float."""
    try:
        return money_amount(amount)
    except AmountError as error:
        raise ApplicationError(error.message, field="amount") from error


@dataclass(frozen=True)
class Recorded:
    donation: Donation
    created: bool  # False: that provider transaction was already recorded


@transaction.atomic
def donation_record(
    *,
    entity: Entity,
    contact: Contact,
    amount_cents: int,
    method: str,
    received_on: date,
    natural_person: bool,
    french_or_resident: bool,
    online: bool,
    kind: str = Donation.Kind.GIFT,
    status: str = Donation.Status.PAID,
    provider: str = "manual",
    provider_txn_id: str = "",
    actor: User | None = None,
    note: str = "",
    stored: dict | None = None,
    other_parties_cents: int = 0,
) -> Recorded:
    """Record a gift. Online (the donor is on the page), a gift the law does not allow is
    refused with the reason. By hand or by import (the money is already there), a gift over
    a cap is recorded "to refund" with the excess; one that cannot be taken at all (cash
    over 150 €, a company…) is recorded to refund in full. The same provider transaction
    twice is recorded once. `stored` holds more fields written with the gift (its page, its
    monthly series, its checkout, where the donor came from). `other_parties_cents`: to a
    party, what the donor declared they gave other parties this year (all count)."""
    if method not in Donation.Method.values:
        raise ApplicationError(_("Unknown payment method."))
    if amount_cents <= 0:  # nothing given, or a refund typed as a gift: no gift to record
        raise ApplicationError(_("The amount must be more than zero."), field="amount")
    if provider_txn_id:
        existing = Donation.objects.filter(provider=provider, provider_txn_id=provider_txn_id)
        if existing.exists():
            return Recorded(existing.get(), created=False)
    verdict = _judge(
        entity=entity,
        contact_id=contact.pk,
        amount_cents=amount_cents,
        method=method,
        received_on=received_on,
        natural_person=natural_person,
        french_or_resident=french_or_resident,
        other_parties_cents=other_parties_cents,
    )
    refund = 0
    if not verdict.lawful:
        if online:
            raise ApplicationError(verdict.reason, field="amount")
        refund = amount_cents if verdict.refuse_all else verdict.excess_cents
        status = Donation.Status.TO_REFUND
        note = f"{verdict.reason} {note}".strip()
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                entity=entity,
                contact=contact,
                kind=kind,
                amount_cents=amount_cents,
                refund_cents=refund,
                method=method,
                status=status,
                received_on=received_on,
                provider=provider,
                provider_txn_id=provider_txn_id,
                natural_person=natural_person,
                french_or_resident=french_or_resident,
                other_parties_cents=other_parties_cents,
                note=note[:300],
                created_by=actor,
                **(stored or {}),
            )
    except IntegrityError:  # the same transaction, imported at the same instant
        if not provider_txn_id:
            raise  # another constraint: never pass an earlier gift off as this one
        return Recorded(
            Donation.objects.get(provider=provider, provider_txn_id=provider_txn_id),
            created=False,
        )
    Contact.objects.filter(pk=contact.pk).update(last_activity_at=timezone.now())
    if _owes_receipt(donation):
        receipt_issue(donation=donation)
    _donor_reached(donation)
    webhooks_emit(
        event=Event.DONATION_CREATED,
        payloads=[
            {
                "donation": {
                    "identifiers": [f"terrain:{donation.pk}"],
                    "amount": rules.decimal_amount(donation.amount_cents),
                    "currency": "EUR",
                    "status": donation.status,
                    "method": donation.method,
                    "received_on": donation.received_on.isoformat(),
                    "fundraising_page": donation.drive_id,
                    "monthly": donation.monthly,
                },
                "person": person_brief(contact),
            }
        ],
    )
    return Recorded(donation, created=True)


def _judge(
    *,
    entity: Entity,
    contact_id: int,
    amount_cents: int,
    method: str,
    received_on: date,
    natural_person: bool,
    french_or_resident: bool,
    other_parties_cents: int,
    excluding: int | None = None,
) -> rules.Verdict:
    """The law on one gift, against everything else the person gave within the cap's window
    (every entity of the same election; every party this year), under a lock per person:
    the cap spans entities, so two gifts to two of them at once cannot both slip under it.
    `excluding`: the gift itself, judged again as it is settled."""
    records_lock(person_records(contact_id))  # the person, whichever record a door found
    cash = method == Donation.Method.CASH
    if cash:
        transaction_lock(f"donations:{entity.pk}:cash")
    return rules.judge(
        kind=entity.kind,
        amount_cents=amount_cents,
        cash=cash,
        natural_person=natural_person,
        french_or_resident=french_or_resident,
        donor_before_cents=selectors.given_in_window(
            entity=entity,
            contact_id=contact_id,
            on=received_on,
            declared_cents=other_parties_cents,
            excluding=excluding,
        ),
        cash_before_cents=(
            selectors.cash_received(entity=entity, excluding=excluding) if cash else 0
        ),
        spending_limit_cents=entity.spending_limit_cents,
        received_on=received_on,
        financing=selectors.financing_of(entity),
    )


def _owes_receipt(donation: Donation) -> bool:
    """A gift received gets a receipt for what the campaign keeps of it: all of a paid
    gift, the part under the cap of one to refund in part (4,700 € → a receipt for 4,600)."""
    return (
        donation.status in (Donation.Status.PAID, Donation.Status.TO_REFUND)
        and donation.kept_cents > 0
    )


def _donor_reached(donation: Donation) -> None:
    """Funnel: a gift received, and not wholly to pay back, makes a donor (on its day)."""
    if donation.status in RECEIVED and donation.amount_cents > donation.refund_cents:
        stage_reach(
            contact_id=donation.contact_id,
            stage=Stage.DONOR,
            at=donor_moment(donation.received_on),
            why=_("Gift of %(amount)s") % {"amount": rules.euros(donation.amount_cents)},
        )


@transaction.atomic
def donation_paid(*, donation: Donation, actor: User) -> Donation:
    """A pledged cheque or transfer has arrived: judged again (_rejudge), paid or to refund
    in part, and its receipt issued for what is kept."""
    # The row locked and read again: the same cheque marked paid twice at once is paid once.
    stored = Donation.objects.select_for_update().values_list("status", flat=True)
    if stored.get(pk=donation.pk) != Donation.Status.PLEDGED:
        raise ApplicationError(_("Only a pledge can be marked paid."))
    donation.status = Donation.Status.PAID
    _rejudge(donation)
    donation.save(update_fields=["status", "refund_cents", "note"])
    if _owes_receipt(donation):
        receipt_issue(donation=donation)
        donor_thanks_queue(donation)
    _donor_reached(donation)
    return donation


def _rejudge(donation: Donation) -> None:
    """A pledge being paid is judged again against everything else the person gave: a
    pledge left too long stopped counting meanwhile (pledge_expired) and other gifts may
    have used the room, or another record of the person, another entity of the election…
    Any part now over a cap is kept "to refund", the rest is paid (and gets its receipt)."""
    verdict = _judge(
        entity=donation.entity,
        contact_id=donation.contact_id,
        amount_cents=donation.amount_cents,
        method=donation.method,
        received_on=donation.received_on,
        natural_person=donation.natural_person,
        french_or_resident=donation.french_or_resident,
        other_parties_cents=donation.other_parties_cents,
        excluding=donation.pk,
    )
    if not verdict.lawful:
        donation.status = Donation.Status.TO_REFUND
        donation.refund_cents = (
            donation.amount_cents if verdict.refuse_all else verdict.excess_cents
        )
        donation.note = f"{verdict.reason} {donation.note}".strip()[:300]


@transaction.atomic
def donation_refunded(*, donation: Donation, actor: User) -> Donation:
    """The excess (or the whole gift) has been paid back."""
    if donation.status != Donation.Status.TO_REFUND:
        raise ApplicationError(_("Nothing to refund on this gift."))
    donation.status = Donation.Status.REFUNDED
    donation.save(update_fields=["status"])
    return donation


# Fundraising pages


@transaction.atomic
def drive_save(*, drive: Drive, actor: User) -> Drive:
    """Create or change a fundraising page (from the staff's form); an empty address is made
    from the title. Only its territory's organizers and the administrators change a page,
    and an organizer gives it one of their own territories (campaign.ownership). A page that
    has taken gifts keeps the entity they went to: another entity is another page."""
    stored = None
    if drive.pk is not None:
        stored = Drive.objects.select_for_update().filter(pk=drive.pk).first()
        if stored is None or not may_change(actor, stored):
            raise ApplicationError(_("You may not change this fundraising page."))
    if not may_change(actor, drive):
        raise ApplicationError(
            _("Choose one of your territories: this page would not be yours."), field="territory"
        )
    if (
        stored is not None
        and stored.entity_id != drive.entity_id
        and Donation.objects.filter(drive=stored).exists()
    ):
        raise ApplicationError(
            _(
                "This page has taken gifts for %(entity)s: it keeps that entity. Make a new "
                "page for another one."
            )
            % {"entity": stored.entity.name},
            field="entity",
        )
    if not drive.slug:
        drive.slug = free_slug(Drive.objects.all(), drive.title, fallback="don", instance=drive)
    drive.save()
    return drive


# The public pages

TRACKED = ("utm_source", "utm_medium", "utm_campaign")


@dataclass(frozen=True)
class DonorInput:
    first_name: str
    last_name: str
    email: str
    street: str
    postal_code: str
    commune: str

    def stored(self) -> dict[str, str]:
        """The donor's name and address as typed, kept on the gift (for its receipt)."""
        return {
            "donor_first_name": self.first_name.strip()[:150],
            "donor_last_name": self.last_name.strip()[:150],
            "donor_street": self.street.strip()[:255],
            "donor_postal_code": self.postal_code.strip()[:10],
            "donor_commune": self.commune.strip()[:150],
        }


def donor_for(donor: DonorInput) -> Contact:
    """The person who gives, found as an import finds them (contacts.identity): the contact
    behind the email, else the one with the same name and address (another email on the
    same person is the same donor and the same cap), else a new one (origin: a donation).
    A known contact is left as it is: whoever typed an email, a name and an address proved
    nothing, so what they typed is kept on the gift (DonorInput.stored), not on them.

    Call it in the transaction that records the gift: the email and the name and address
    stay locked until it ends, so a first-time donor's gifts at the same instant wait for
    each other, find one contact and are judged one after the other."""
    email = donor.email.strip().lower()
    identity = person_identity(
        first_name=donor.first_name,
        last_name=donor.last_name,
        street=donor.street,
        postal_code=donor.postal_code,
    )
    identity_lock(email=email, identity=identity)
    known = person_find(email=email, identity=identity)
    if known is not None:
        return known
    return contact_services.contact_create(
        actor=None,
        source=Source.DONATION,
        first_name=donor.first_name.strip(),
        last_name=donor.last_name.strip(),
        street=donor.street.strip(),
        postal_code=donor.postal_code.strip(),
        commune=donor.commune.strip(),
        emails=[contact_services.EmailInput(address=email)],
    )


@transaction.atomic
def donation_start(
    *,
    drive,
    donor: DonorInput,
    amount_cents: int,
    method: str,
    monthly: bool,
    natural_person: bool,
    french_or_resident: bool,
    tracking: dict[str, str] | None = None,
    other_parties_cents: int = 0,
):
    """A donor on the page: the gift is judged now (a refusal says why, on the form), then
    pledged, and the provider says where the donor goes next (a card page, or the
    thank-you page with the cheque and transfer details). `other_parties_cents`: on a
    party's page, what the donor declared they gave other parties this year."""

    if drive.status != Drive.Status.PUBLISHED:
        raise ApplicationError(_("This page is not taking gifts."))
    if method == Donation.Method.CARD:
        chosen = card_provider()
        if chosen is None:
            raise ApplicationError(
                _("Card payment is not available: choose a cheque or a transfer.")
            )
    elif method in (Donation.Method.CHEQUE, Donation.Method.TRANSFER):
        chosen = provider("manual")
        if monthly:
            raise ApplicationError(_("A monthly gift is paid by card."))
    else:
        raise ApplicationError(_("Choose how to pay."))
    if monthly and not drive.monthly:
        raise ApplicationError(_("This page takes one-off gifts only."))
    recorded = donation_record(
        entity=drive.entity,
        contact=donor_for(donor),
        amount_cents=amount_cents,
        method=method,
        received_on=timezone.localdate(),
        natural_person=natural_person,
        french_or_resident=french_or_resident,
        online=True,
        status=Donation.Status.PLEDGED,
        provider=chosen.name,
        other_parties_cents=other_parties_cents,
        stored={
            "drive": drive,
            "monthly": monthly,
            "checkout": uuid.uuid4(),
            **donor.stored(),
            **{k: v[:100] for k, v in (tracking or {}).items() if k in TRACKED},
        },
    )
    return recorded.donation, chosen.start(donation=recorded.donation)


@transaction.atomic
def donation_settled(*, checkout, provider_name: str, txn_id: str, paid: bool) -> Donation:
    """The provider's word on a payment: paid (with its transaction id) or not. Only a
    pledge moves; the same word twice changes nothing. A payment is judged again as it
    arrives (_rejudge): a confirmation come late may find the cap used meanwhile, and the
    money, already taken, is then kept "to refund" beyond it."""
    donation = (
        Donation.objects.select_for_update()
        .filter(checkout=checkout, provider=provider_name)
        .first()
    )
    if donation is None:
        raise ApplicationError(_("Unknown payment."))
    if donation.status != Donation.Status.PLEDGED:
        return donation
    if paid:
        donation.status, donation.provider_txn_id = Donation.Status.PAID, txn_id[:100]
        _rejudge(donation)
    else:
        donation.status = Donation.Status.CANCELLED
    donation.save(update_fields=["status", "provider_txn_id", "refund_cents", "note"])
    if _owes_receipt(donation):
        receipt_issue(donation=donation)
        donor_thanks_queue(donation)
    if paid:
        _donor_reached(donation)
    return donation


# Receipts


def receipt_issue(*, donation: Donation) -> Receipt:
    """The gift's receipt, for what the campaign keeps of it (a gift to refund in part gets
    one for the rest), numbered next in its entity's sequence (a party's per calendar
    year, a candidate's per campaign: receipts.receipt_sequence_year): the counter is
    locked and the receipt written in one transaction, so numbers have no gap and no
    repeat, however many gifts arrive at once. A second call returns the same receipt; one
    voided (by mistake, or stating more than is kept after a merge) is followed by a new
    one with the next number."""
    with transaction.atomic():
        existing = Receipt.objects.filter(donation=donation, voided_at__isnull=True).first()
        if existing is not None:
            return existing
        if not _owes_receipt(donation):
            raise ApplicationError(
                _("Only a gift received, and kept at least in part, gets a receipt.")
            )
        year = receipt_sequence_year(donation=donation)
        ReceiptCounter.objects.get_or_create(entity_id=donation.entity_id, year=year)
        counter = ReceiptCounter.objects.select_for_update().get(
            entity_id=donation.entity_id, year=year
        )
        counter.last += 1
        counter.save(update_fields=["last"])
        return Receipt.objects.create(
            entity_id=donation.entity_id,
            donation=donation,
            year=year,
            number=counter.last,
            amount_cents=donation.kept_cents,
        )


@transaction.atomic
def receipt_void(*, receipt, actor: User, reason: str):
    """A receipt issued by mistake: voided, its number kept (never given again)."""
    if receipt.voided_at:
        return receipt
    if not reason.strip():
        raise ApplicationError(_("Say why the receipt is voided."), field="reason")
    receipt.voided_at, receipt.void_reason = timezone.now(), reason.strip()[:300]
    receipt.save(update_fields=["voided_at", "void_reason"])
    return receipt


# Monthly gifts


def _month_day(mandate_day: int, today: date) -> int:
    """The day of this month the gift is taken: the mandate's, or the month's last."""
    return min(mandate_day, calendar.monthrange(today.year, today.month)[1])


def monthly_collect(*, today: date | None = None) -> dict:
    """Take this month's gift of every monthly gift under way whose day has come (beat runs
    it daily). Each month's gift is judged against the caps like any other: one the law
    would refuse stops the series, with the reason. Run twice, it takes nothing twice: a
    month's gift has a key of its own under the provider's unique constraint."""
    today = today or timezone.localdate()
    taken = stopped = 0
    mandates = Donation.objects.filter(
        monthly=True, series__isnull=True, status=Donation.Status.PAID, stopped_at__isnull=True
    ).select_related("entity", "contact")
    for mandate in mandates:
        if (mandate.received_on.year, mandate.received_on.month) == (today.year, today.month):
            continue  # the first month is the first gift
        if today.day < _month_day(mandate.received_on.day, today):
            continue
        key = f"monthly-{mandate.pk}-{today:%Y%m}"
        if Donation.objects.filter(provider=mandate.provider, provider_txn_id=key).exists():
            continue
        try:
            with transaction.atomic():
                recorded = donation_record(
                    entity=mandate.entity,
                    contact=mandate.contact,
                    amount_cents=mandate.amount_cents,
                    method=mandate.method,
                    received_on=today,
                    natural_person=mandate.natural_person,
                    french_or_resident=mandate.french_or_resident,
                    online=True,
                    status=Donation.Status.PLEDGED,
                    provider=mandate.provider,
                    provider_txn_id=key,
                    stored={"series": mandate, "drive": mandate.drive, "monthly": True},
                )
                installment = recorded.donation
                paid, txn = provider(mandate.provider).charge(donation=installment, mandate=mandate)
                installment.status = Donation.Status.PAID if paid else Donation.Status.CANCELLED
                installment.note = txn[:300]
                installment.save(update_fields=["status", "note"])
                if paid:
                    receipt_issue(donation=installment)
                    donor_thanks_queue(installment)
                    _donor_reached(installment)
                    taken += 1
        except ApplicationError as error:  # the law says no more this year, or this election
            with transaction.atomic():
                Donation.objects.filter(pk=mandate.pk).update(
                    stopped_at=timezone.now(), note=error.message[:300]
                )
                monthly_stop_notice_queue(mandate, why=error.message)
            stopped += 1
    return {"taken": taken, "stopped": stopped}


@transaction.atomic
def monthly_stop(*, donation: Donation, actor: User | None) -> Donation:
    """The donor asked to stop their monthly gift: no month is taken after this."""
    mandate = donation.series or donation
    stopped = Donation.objects.filter(pk=mandate.pk, stopped_at__isnull=True).update(
        stopped_at=timezone.now()
    )
    mandate.refresh_from_db()
    if stopped:
        monthly_stop_notice_queue(mandate)
    return mandate
