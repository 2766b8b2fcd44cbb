"""Texts received (Twilio's incoming message webhook): STOP and START obeyed at once,
replies kept and handed to their texting conversation."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts import services as contact_services
from contacts.funnel.services import stage_reach
from contacts.funnel.stages import Stage
from contacts.models import Contact, ContactPhone, Source

from .. import text
from ..models import Inbound, OptOut
from ..p2p.services import conversation_received

OPT_OUT_REPLY = "Vous ne recevrez plus de SMS de notre part. START pour vous réinscrire."
OPT_IN_REPLY = "C'est noté : vous recevrez à nouveau nos SMS. STOP pour arrêter."


def _sender(number: str) -> Contact | None:
    phone = ContactPhone.objects.filter(e164=number).order_by("contact_id").first()
    return Contact.objects.filter(pk=phone.contact_id).first() if phone else None


@transaction.atomic
def inbound_receive(
    *, sid: str, from_number: str, to_number: str, body: str
) -> tuple[Inbound, str]:
    """A text received. STOP and its variants, alone or in a short reply ("stop svp"), end
    texting to that person at once (consent withdrawn, with the text as the wording),
    START/UNSTOP resume it; a STOP inside a longer sentence or beside a negation is kept for a
    human to read (`text.classify`). Returns the reply to send back ("" for none).
    The same SID twice (a retried callback) changes nothing."""
    existing = Inbound.objects.filter(sid=sid).first()
    if existing is not None:
        return existing, ""
    kind = text.classify(body)
    contact = _sender(from_number)
    try:
        with transaction.atomic():
            inbound = Inbound.objects.create(
                sid=sid,
                from_number=from_number[:20],
                to_number=to_number[:20],
                body=body[:1600],
                kind=kind,
                contact=contact,
            )
    except IntegrityError:  # the same report, at the same instant
        return Inbound.objects.get(sid=sid), ""
    reply = ""
    if kind == Inbound.Kind.OPT_OUT:  # the number, whoever it belongs to now or later
        OptOut.objects.get_or_create(number=from_number[:20], defaults={"source": _("Reply STOP")})
    elif kind == Inbound.Kind.OPT_IN:
        OptOut.objects.filter(number=from_number[:20]).delete()
    if kind in (Inbound.Kind.OPT_OUT, Inbound.Kind.OPT_IN):
        reply = OPT_OUT_REPLY if kind == Inbound.Kind.OPT_OUT else OPT_IN_REPLY
        if contact is not None:
            contact_services.consent_set(
                contact=contact,
                channel="sms",
                status="withdrawn" if kind == Inbound.Kind.OPT_OUT else "granted",
                source=Source.SMS,
                source_detail=_("Reply by text"),
                wording=body[:500],
                actor=None,
            )
    if contact is not None:
        Contact.objects.filter(pk=contact.pk).update(last_activity_at=timezone.now())
        if kind == Inbound.Kind.REPLY:
            stage_reach(
                contact_id=contact.pk,
                stage=Stage.ENGAGED,
                at=inbound.received_at,
                why=_("Replied to a text"),
            )
    conversation_received(inbound=inbound)
    return inbound, reply
