"""Writes for petitions: sign (the public act), and the organizers' changes. A signature
received is merged into contacts, and confirmed by its emailed link, in
actions.petitions.signatures."""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User
from campaign.ownership import may_change
from campaign.slugs import free_slug
from contacts.models import ContactEmail

from .images import cover_prepared
from .models import PendingSignature, Petition, Signature
from .signatures import pending_signatures_merge
from .tasks import merge_later, petition_signatures_merge


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


def petition_sign(*, petition: Petition, data: SignatureInput) -> bool:
    """Receive a signature: one row, merged into contacts right after by
    pending_signatures_merge (in a worker, or at once when tasks run in-process).

    Returns True for a new signature, False when this email has already signed this
    petition or is waiting to be merged: signing twice changes nothing.

    A viral petition's hot path: one statement, no transaction around it. It inserts unless
    a contact with this email has signed (an index read), and the unique constraint on
    (petition, email) settles a race with the same email waiting.
    """
    if not petition.is_open:
        raise ApplicationError(_("This petition is closed."))
    row = PendingSignature(
        petition=petition,
        email=data.email.strip().lower(),
        first_name=data.first_name.strip()[:150],
        last_name=data.last_name.strip()[:150],
        phone=data.phone.strip()[:30],
        postal_code=data.postal_code.strip()[:10],
        consents=[channel for channel, on in data.consents.items() if on],
        answers={k: v[:2000] for k, v in data.answers.items() if v},
        utm_source=data.utm_source[:100],
        utm_medium=data.utm_medium[:100],
        utm_campaign=data.utm_campaign[:100],
        referrer=data.referrer[:500],
        embedded=data.embedded,
    )
    if not _insert_unless_signed_or_waiting(row):
        return False
    _merge_soon()
    return True


PENDING_FIELDS = [f for f in PendingSignature._meta.concrete_fields if not f.primary_key]


def _insert_unless_signed_or_waiting(row: PendingSignature) -> bool:
    """INSERT … SELECT … WHERE NOT EXISTS (a signature by this email) ON CONFLICT DO
    NOTHING: False when this email has signed this petition or already waits for it."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in PENDING_FIELDS)
    placeholders = ", ".join(["%s"] * len(PENDING_FIELDS))
    values = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in PENDING_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PendingSignature._meta.db_table} ({columns}) "  # noqa: S608 - names from the model
            # From the email's index first (most signers are new: nothing more to read),
            # whatever the planner believes of the tables' sizes.
            f"SELECT {placeholders} WHERE NOT EXISTS ("
            f"SELECT 1 FROM {ContactEmail._meta.db_table} e WHERE e.address = %s AND ("
            f"SELECT 1 FROM {Signature._meta.db_table} s "
            "WHERE s.petition_id = %s AND s.contact_id = e.contact_id LIMIT 1) IS NOT NULL) "
            "ON CONFLICT (petition_id, email) DO NOTHING",
            [*values, row.email, row.petition_id],
        )
        return cursor.rowcount == 1


def _merge_soon() -> None:
    """Have this signature merged: in-process at once, or by a worker a moment later."""
    if petition_signatures_merge.app.conf.task_always_eager:
        pending_signatures_merge()  # in-process: now, before the page answers
    else:
        transaction.on_commit(merge_later)


def _ensure_may_change(petition: Petition, actor: User) -> None:
    """The write rule, checked again where the write happens: on the petition as stored
    (an existing one) and on the territory it is given."""
    if petition.pk is not None:
        stored = Petition.objects.filter(pk=petition.pk).first()
        if stored is None or not may_change(actor, stored):
            raise ApplicationError(_("You may not change this petition."))
    if not may_change(actor, petition):
        raise ApplicationError(
            _("Choose one of your territories: this petition would not be yours."),
            field="territory",
        )


def signature_count_key(petition_id: int) -> str:
    return f"petition:{petition_id}:count"


@transaction.atomic
def petition_save(*, petition: Petition, actor: User) -> Petition:
    """Create or change a petition (from the organizers' form); a slug is made from the title.
    Only its territory's organizers and the administrators change one, and an organizer gives
    it one of their own territories (campaign.ownership)."""
    _ensure_may_change(petition, actor)
    if not petition.slug:
        petition.slug = free_slug(
            Petition.objects.all(), petition.title, fallback="petition", instance=petition
        )
    if petition.pk is None:
        petition.created_by = actor
    if petition.image and not petition.image._committed:  # a new upload
        petition.image = cover_prepared(petition.image, stem=petition.slug)
    petition.save()
    return petition


@transaction.atomic
def petition_set_status(*, petition: Petition, status: str, actor: User) -> Petition:
    """Publish, close or archive."""
    _ensure_may_change(petition, actor)
    if status not in Petition.Status.values:
        raise ApplicationError(_("Unknown status."))
    petition.status = status
    if status == Petition.Status.PUBLISHED and petition.published_at is None:
        petition.published_at = timezone.now()
    petition.save(update_fields=["status", "published_at", "updated_at"])
    return petition
