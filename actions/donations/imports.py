"""A payment provider's export (HelloAsso, Stripe, a bank's CSV…) imported as gifts: each
line once, by the provider's transaction id, however many times the file comes back; a line
that cannot be read is reported with its number; a gift over a cap is recorded to refund."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User
from contacts.imports.reader import iter_table
from contacts.normalize import search_key

from . import services
from .models import Donation, Entity

# The words a column's header may hold, by what it is (French and English exports).
COLUMNS = {
    "txn": ("transaction", "reference", "paiement id", "payment id", "id"),
    "date": ("date",),
    "amount": ("montant", "amount"),
    "email": ("email", "mail", "courriel"),
    "first_name": ("prenom", "first name", "firstname"),
    "last_name": ("nom", "last name", "lastname", "surname"),
    "street": ("adresse", "address", "rue"),
    "postal_code": ("code postal", "postal", "zip", "cp"),
    "commune": ("ville", "commune", "city", "town"),
}


@dataclass
class ImportReport:
    created: int = 0
    already: int = 0  # imported before: counted once
    to_refund: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _columns(headers: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        key = search_key(header)
        for name, words in COLUMNS.items():
            if name in found:
                continue
            if any(key == w or key.startswith(w + " ") or f" {w}" in f" {key}" for w in words):
                if name == "last_name" and "prenom" in key:
                    continue
                found[name] = header
                break
    missing = [n for n in ("txn", "date", "amount", "email") if n not in found]
    if missing:
        raise ApplicationError(
            _("The file needs these columns: %(columns)s") % {"columns": ", ".join(missing)}
        )
    return found


_DATES = (  # (pattern, how many characters of the cell it reads)
    ("%d/%m/%Y %H:%M:%S", 19),
    ("%Y-%m-%d %H:%M:%S", 19),
    ("%Y-%m-%dT%H:%M:%S", 19),
    ("%d/%m/%Y %H:%M", 16),
    ("%d/%m/%Y", 10),
    ("%Y-%m-%d", 10),
)


def _date(raw: str) -> date:
    """The day of a payment, as exports write it (a time or a time zone after it is fine)."""
    raw = raw.strip()
    for pattern, length in _DATES:
        try:
            return datetime.strptime(raw[:length], pattern).date()  # noqa: DTZ007 a day, not an instant
        except ValueError:
            continue
    raise ValueError(raw)


def provider_import(
    *, actor: User, entity: Entity, provider: str, path: str, method: str = "card"
) -> ImportReport:
    """Import the export at `path` as paid gifts to `entity` through `provider` (its name
    keys the transaction ids). The provider's form collected both declarations."""
    report = ImportReport()
    for table in iter_table(path):
        report.rejected += table.bad_lines
        columns = _columns(table.headers)
        for i, line in enumerate(table.lines):

            def value(name: str, i: int = i, table=table, columns=columns) -> str:
                header = columns.get(name)
                return table.columns[header][i].strip() if header else ""

            txn = value("txn")
            try:
                if not txn:
                    raise ApplicationError(_("no transaction id"))
                if "@" not in value("email"):
                    raise ApplicationError(_("no email address"))
                amount = services.cents(value("amount").replace("€", ""))
                received_on = _date(value("date"))
                donor = services.DonorInput(
                    first_name=value("first_name"),
                    last_name=value("last_name"),
                    email=value("email"),
                    street=value("street"),
                    postal_code=value("postal_code"),
                    commune=value("commune"),
                )
                with transaction.atomic():
                    recorded = services.donation_record(
                        entity=entity,
                        contact=services.donor_for(donor),
                        amount_cents=amount,
                        method=method,
                        received_on=received_on,
                        natural_person=True,
                        french_or_resident=True,
                        online=False,
                        provider=provider,
                        provider_txn_id=txn,
                        actor=actor,
                        stored=donor.stored(),
                    )
            except ApplicationError as error:
                report.rejected.append((line, error.message))
                continue
            except ValueError:
                report.rejected.append(
                    (line, _("unreadable date: %(raw)s") % {"raw": value("date")})
                )
                continue
            if not recorded.created:
                report.already += 1
            elif recorded.donation.status == Donation.Status.TO_REFUND:
                report.to_refund += 1
                report.created += 1
            else:
                report.created += 1
    report.rejected.sort()
    return report
