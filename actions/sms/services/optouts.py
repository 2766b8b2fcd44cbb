"""Opt-outs gathered elsewhere: a list of numbers that said STOP (the 36180 service's
export, a CSV) joins the opt-out list."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from campaign.models import User
from contacts import services as contact_services
from contacts.imports.reader import iter_table
from contacts.models import Consent, Contact, ContactPhone, Source
from contacts.normalize import phone_read, search_key
from contacts.scope import contacts_visible_to

from ..models import OptOut


@dataclass
class OptOutReport:
    numbers: int = 0  # distinct readable numbers in the file
    added: int | None = 0  # not on the list before (None: not the importer's to know)
    contacts: int = 0  # contacts (in the importer's scope) whose SMS consent this withdrew
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


PHONE_HEADERS = ("telephone", "tel", "phone", "mobile", "portable", "numero", "msisdn", "number")


def _phone_column(headers: list[str]) -> str:
    for header in headers:
        if any(word in search_key(header).split() for word in PHONE_HEADERS):
            return header
    return headers[0]


def optouts_import(*, actor: User, path: str, source: str) -> OptOutReport:
    """A list of numbers that said STOP elsewhere (the 36180 service's export, a CSV): each
    goes on the opt-out list (no bulk text goes to it, whoever it belongs to), and the
    contacts with that number that `actor` may see lose SMS consent, with an event naming
    the list. Contacts outside the actor's scope are neither changed nor counted, and only
    an admin learns which numbers were already on the list. Unreadable lines are reported
    with their number."""
    report = OptOutReport()
    numbers: set[str] = set()
    for table in iter_table(path):
        report.rejected += table.bad_lines
        column = _phone_column(table.headers)
        for line, raw in zip(table.lines, table.columns[column], strict=True):
            digits = "".join(c for c in raw if c.isdigit() or c == "+")
            if digits.startswith("33") and len(digits) == 11:  # 336…: the short-code services' form
                digits = "+" + digits
            phone = phone_read(digits or raw)
            if phone.is_valid:
                numbers.add(phone.e164)
            elif raw.strip():
                report.rejected.append((line, _("unreadable number: %(raw)s") % {"raw": raw[:40]}))
    report.numbers = len(numbers)
    with transaction.atomic():
        existing = set(OptOut.objects.filter(number__in=numbers).values_list("number", flat=True))
        OptOut.objects.bulk_create(
            [OptOut(number=n, source=source[:200]) for n in sorted(numbers - existing)],
            ignore_conflicts=True,
        )
        report.added = len(numbers - existing) if actor.is_admin else None
        contact_ids = set(
            ContactPhone.objects.filter(
                e164__in=numbers, contact__in=contacts_visible_to(actor).values("pk")
            ).values_list("contact_id", flat=True)
        )

        granted = set(
            Consent.objects.filter(
                contact_id__in=contact_ids, channel="sms", status="granted"
            ).values_list("contact_id", flat=True)
        )
        for contact in Contact.objects.filter(pk__in=granted):
            contact_services.consent_set(
                contact=contact,
                channel="sms",
                status="withdrawn",
                source=Source.SMS,
                source_detail=source[:255],
                actor=actor,
            )
        report.contacts = len(granted)
    report.rejected.sort()
    return report
