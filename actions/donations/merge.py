"""Two records of one person merged: their gifts become one donor's, and the caps are
judged again on what that person gave in all (L52-8, loi 88-227 art. 11-4). Gifts the
money of which is here (paid, or to refund in part) are judged newest first, so any excess
falls on the last gifts, as if the person had given them to a single record; it is kept
"to refund", with a note in the person's timeline."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contacts.models import ContactActivity

from . import rules, selectors
from .models import Donation, Receipt
from .services import receipt_issue


def donations_merge(kept_id: int, dropped_id: int) -> None:
    """The dropped record's gifts follow the person; then their gifts are judged again
    (called by contact_merge, in its transaction)."""
    Donation.objects.filter(contact_id=dropped_id).update(contact_id=kept_id)
    gifts = Donation.objects.filter(contact_id=kept_id).select_related("entity")
    # A pledge (the money not here yet) is judged when it is paid, against these gifts:
    # while these are judged again, it is left out, or it would push a paid gift over.
    live_pledges = list(
        gifts.filter(status=Donation.Status.PLEDGED)
        .exclude(selectors.pledge_expired())
        .values_list("pk", flat=True)
    )
    Donation.objects.filter(pk__in=live_pledges).update(status=Donation.Status.CANCELLED)
    received = gifts.filter(
        Q(status=Donation.Status.PAID) | Q(status=Donation.Status.TO_REFUND)
    ).order_by("-received_on", "-created_at", "-pk")
    for gift in received:
        _judge_again(gift)
    Donation.objects.filter(pk__in=live_pledges).update(status=Donation.Status.PLEDGED)


def _judge_again(gift: Donation) -> None:
    """The part of `gift` still kept, against everything else the person gave in the cap's
    window; what now passes the cap is to refund, and a receipt stating more is voided."""
    kept = gift.kept_cents
    if kept <= 0:
        return
    entity = gift.entity
    verdict = rules.judge(
        kind=entity.kind,
        amount_cents=kept,
        cash=False,  # the cash rules are the entity's, not the person's: a merge changes none
        natural_person=True,
        french_or_resident=True,
        donor_before_cents=selectors.given_in_window(
            entity=entity,
            contact_id=gift.contact_id,
            on=gift.received_on,
            declared_cents=gift.other_parties_cents,
            excluding=gift.pk,
        ),
        cash_before_cents=0,
        spending_limit_cents=None,
    )
    if verdict.lawful:
        return
    gift.refund_cents += verdict.excess_cents
    gift.status = Donation.Status.TO_REFUND
    gift.note = f"{verdict.reason} {gift.note}".strip()[:300]
    gift.save(update_fields=["refund_cents", "status", "note"])
    summary = _(
        "Gifts judged again after a merge: %(excess)s of the gift of %(amount)s to %(entity)s "
        "received on %(day)s is over the cap, to refund. %(reason)s"
    ) % {
        "excess": rules.euros(verdict.excess_cents),
        "amount": rules.euros(gift.amount_cents),
        "entity": entity.name,
        "day": date_format(gift.received_on),
        "reason": verdict.reason,
    }
    receipt = Receipt.objects.filter(donation=gift, voided_at__isnull=True).first()
    if receipt is not None and receipt.amount_cents > gift.kept_cents:
        receipt.voided_at = timezone.now()
        receipt.void_reason = _("Over the cap once merged with a duplicate record.")
        receipt.save(update_fields=["voided_at", "void_reason"])
        new = receipt_issue(donation=gift)  # the donor is owed one for what is kept
        summary += " " + _(
            "Its receipt %(reference)s, for more than is kept, is voided; receipt %(new)s "
            "replaces it for %(kept)s."
        ) % {
            "reference": receipt.reference,
            "new": new.reference,
            "kept": rules.euros(gift.kept_cents),
        }
    ContactActivity.objects.create(
        contact_id=gift.contact_id,
        kind=ContactActivity.Kind.NOTE,
        summary=summary,
        occurred_at=timezone.now(),
    )
