"""Writes for petitions: sign (the public act), and the organizers' changes."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User
from contacts import services as contact_services
from contacts.models import Contact, ContactEmail, ContactPhone, Source
from contacts.normalize import phone_read, search_key

from .models import Petition, Signature


@dataclass
class SignatureInput:
    first_name: str
    last_name: str
    email: str
    postal_code: str
    phone: str = ""
    consents: dict[str, bool] = field(default_factory=dict)  # channel → ticked
    answers: dict[str, str] = field(default_factory=dict)
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer: str = ""
    embedded: bool = False


def _match(email: str, e164: str) -> Contact | None:
    """The person already known: by email first, then by phone (the issue's matching order)."""
    if email:
        found = ContactEmail.objects.filter(address=email).order_by("contact_id").first()
        if found:
            return Contact.objects.select_for_update().get(pk=found.contact_id)
    if e164:
        found = ContactPhone.objects.filter(e164=e164).order_by("contact_id").first()
        if found:
            return Contact.objects.select_for_update().get(pk=found.contact_id)
    return None


@transaction.atomic
def petition_sign(*, petition: Petition, data: SignatureInput) -> tuple[Signature, bool]:
    """Sign: find or create the contact, record consents with their exact wording, add the
    petition's tags, and one signature per person. Signing again changes nothing."""
    if not petition.is_open:
        raise ApplicationError(_("This petition is closed."))
    email = data.email.strip().lower()
    phone = phone_read(data.phone) if data.phone.strip() else None
    e164 = phone.e164 if phone else ""
    contact = _match(email, e164)
    if contact is not None:
        existing = Signature.objects.filter(petition=petition, contact=contact).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    if contact is None:
        contact = contact_services.contact_create(
            actor=None,
            source=Source.PETITION,
            source_detail=petition.title[:255],
            first_name=data.first_name.strip()[:150],
            last_name=data.last_name.strip()[:150],
            postal_code=data.postal_code.strip()[:10],
            emails=[contact_services.EmailInput(address=email, is_primary=True)] if email else [],
            phones=[contact_services.PhoneInput(number=data.phone, is_primary=True)]
            if phone
            else [],
        )
    else:
        _complete(contact, data, email, phone)
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                petition=petition,
                contact=contact,
                utm_source=data.utm_source[:100],
                utm_medium=data.utm_medium[:100],
                utm_campaign=data.utm_campaign[:100],
                referrer=data.referrer[:500],
                embedded=data.embedded,
                answers={k: v[:2000] for k, v in data.answers.items() if v},
            )
    except IntegrityError:  # the same person signing twice at the same instant
        return Signature.objects.get(petition=petition, contact=contact), False
    ticked = [channel for channel, on in data.consents.items() if on]
    if petition.double_opt_in:
        signature.pending_consents = ticked
        signature.save(update_fields=["pending_consents"])
        transaction.on_commit(lambda: _send_confirmation(signature.pk))
    else:
        signature.confirmed_at = now
        signature.save(update_fields=["confirmed_at"])
        _record_consents(signature, ticked, now)
    tags = list(petition.tags.all())
    if tags:
        contact.tags.add(*tags)
    Contact.objects.filter(pk=contact.pk).update(last_activity_at=now)
    return signature, True


def _record_consents(signature: Signature, channels: list[str], when) -> None:
    """Each ticked box, with the exact wording the person saw, and the petition as source."""
    petition = signature.petition
    wordings = petition.consent_wordings()
    for channel in channels:
        if channel in wordings:
            contact_services.consent_set(
                contact=signature.contact,
                channel=channel,
                status="granted",
                source=Source.PETITION,
                source_detail=petition.title[:255],
                wording=wordings[channel],
                actor=None,
                occurred_at=when,
            )


def _send_confirmation(signature_id: int) -> None:
    from .tasks import petition_send_confirmation

    petition_send_confirmation.delay(signature_id)


CONFIRM_SALT = "petition-confirm"


def confirmation_token(signature: Signature) -> str:
    from django.core import signing

    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(signature.pk))


@transaction.atomic
def petition_confirm(*, token: str, max_age_days: int = 14) -> Signature:
    """Double opt-in: the link from the email confirms the signature and records its consents."""
    from django.core import signing

    try:
        signature_id = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=max_age_days * 86400
        )
    except signing.BadSignature:
        raise ApplicationError(_("This confirmation link is not valid or has expired.")) from None
    signature = (
        Signature.objects.select_for_update()
        .select_related("petition", "contact")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None:
        raise ApplicationError(_("This confirmation link is not valid or has expired."))
    if signature.confirmed_at is None:
        signature.confirmed_at = timezone.now()
        _record_consents(signature, signature.pending_consents, signature.confirmed_at)
        signature.pending_consents = []
        signature.save(update_fields=["confirmed_at", "pending_consents"])
    return signature


def _complete(contact: Contact, data: SignatureInput, email: str, phone) -> None:
    """A known person: fill what was empty, add a new email or phone, overwrite nothing."""
    changed = []
    for name, value in (
        ("first_name", data.first_name),
        ("last_name", data.last_name),
        ("postal_code", data.postal_code),
    ):
        if not getattr(contact, name) and value.strip():
            setattr(contact, name, value.strip()[:150])
            changed.append(name)
    if changed:
        contact.first_name_key = search_key(contact.first_name)
        contact.last_name_key = search_key(contact.last_name)
        contact.save()
    if email and not contact.emails.filter(address=email).exists():
        ContactEmail.objects.create(
            contact=contact, address=email, is_primary=not contact.emails.exists()
        )
    if phone and phone.raw:
        key_exists = (
            contact.phones.filter(e164=phone.e164).exists()
            if phone.e164
            else contact.phones.filter(raw=phone.raw).exists()
        )
        if not key_exists:
            ContactPhone.objects.create(
                contact=contact,
                raw=phone.raw,
                e164=phone.e164,
                kind=phone.kind,
                is_primary=not contact.phones.exists(),
            )


def signature_count_key(petition_id: int) -> str:
    return f"petition:{petition_id}:count"


def rate_limit_hit(*, key: str, limit: int, seconds: int = 60) -> bool:
    """Count one attempt for `key` in a fixed window; True once the limit is passed."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        attempts = 1
    return attempts > limit


@transaction.atomic
def petition_save(*, petition: Petition, actor: User) -> Petition:
    """Create or change a petition (from the organizers' form); a slug is made from the title."""
    if not petition.slug:
        base = slugify(petition.title)[:70] or "petition"
        slug, n = base, 1
        while Petition.objects.filter(slug=slug).exclude(pk=petition.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        petition.slug = slug
    if petition.pk is None:
        petition.created_by = actor
    petition.save()
    return petition


@transaction.atomic
def petition_set_status(*, petition: Petition, status: str, actor: User) -> Petition:
    """Publish, close or archive."""
    if status not in Petition.Status.values:
        raise ApplicationError(_("Unknown status."))
    petition.status = status
    if status == Petition.Status.PUBLISHED and petition.published_at is None:
        petition.published_at = timezone.now()
    petition.save(update_fields=["status", "published_at"])
    return petition
