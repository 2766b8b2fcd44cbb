"""A payment provider's export (HelloAsso, Stripe, a bank's CSV…) imported as gifts: each
line once, by the provider's transaction id, however many times the file comes back; a line
that cannot be read is reported with its number; a gift over a cap is recorded to refund;
a line given by a company is refused with its number; a payment's day is the campaign's."""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from django.db import transaction
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User
from campaign.money import AmountError, money_amount
from contacts.imports.reader import iter_table
from contacts.normalize import search_key

from . import services
from .models import Donation, Entity
from .providers import provider_code

# The words a column's header may hold, by what it is (French and English exports).
COLUMNS = {
    "txn": ("transaction", "reference", "paiement id", "payment id", "id"),
    "date": ("date", "created"),  # Stripe: "Created (UTC)"
    "amount": ("montant", "amount"),
    "email": ("email", "mail", "courriel"),
    "first_name": ("prenom", "first name", "firstname"),
    "last_name": ("nom", "last name", "lastname", "surname"),
    "street": ("adresse", "address", "rue"),
    "postal_code": ("code postal", "postal", "zip", "cp"),
    "commune": ("ville", "commune", "city", "town"),
}
# Words that make a header another column than its words say: a birth date is no payment's.
NOT_COLUMNS = {"date": ("naissance", "birth")}

# A column naming a company (HelloAsso's "Société", a SIRET, "Raison sociale"…): a line with
# one filled in was given by a legal person, which the law refuses (Code électoral L52-8,
# loi 88-227 art. 11-4). A header is one when it says nothing else once these filler words
# are set aside: "Nom de l'entreprise" is one, "Adresse de la société" is not.
COMPANY_HEADERS = (
    "raison sociale",
    "personne morale",
    "societe",
    "entreprise",
    "organisation",
    "organization",
    "organisme",
    "company",
    "siret",
    "siren",
)
FILLER = {"nom", "name", "de", "du", "d", "la", "l", "of", "the", "payeur", "payer"}
FILLER |= {"donateur", "donor", "numero", "number", "n", "no"}
# A column saying what the payer is ("Type de payeur: Particulier / Entreprise"), and the
# answers that name a legal person.
PAYER_KIND_HEADERS = ("type", "forme juridique", "statut juridique")
LEGAL_PERSONS = {*COMPANY_HEADERS, "association", "business", "collectivite"}
# What an export writes in a company's column for a person.
NOTHING = {"", "non", "no", "aucun", "aucune", "none", "n a", "na", "nan", "null", "0"}
NOTHING |= {"particulier", "individual", "personne physique"}


@dataclass
class ImportReport:
    created: int = 0
    already: int = 0  # imported before: counted once
    to_refund: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _says_only(key: str, phrases: tuple[str, ...]) -> bool:
    """Whether a header's words, filler aside, are only some of `phrases`."""
    rest = " " + " ".join(word for word in key.split() if word not in FILLER) + " "
    if not rest.strip():
        return False
    for phrase in phrases:
        rest = rest.replace(f" {phrase} ", " ")
    return not rest.strip()


def _company_headers(headers: list[str]) -> list[str]:
    """The columns that name a company (or say what kind of payer gave)."""
    return [
        header
        for header in headers
        if _says_only(search_key(header), COMPANY_HEADERS + PAYER_KIND_HEADERS)
    ]


def _given_by_company(values: dict[str, str]) -> tuple[str, str] | None:
    """The column and value that say a line was given by a legal person, or None."""
    for header, raw in values.items():
        key, value = search_key(header), search_key(raw)
        if _says_only(key, PAYER_KIND_HEADERS):
            if value in LEGAL_PERSONS:
                return header, raw.strip()
        elif value not in NOTHING:
            return header, raw.strip()
    return None


def _columns(headers: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        key = search_key(header)
        if _says_only(key, COMPANY_HEADERS + PAYER_KIND_HEADERS):
            continue  # "Nom de l'entreprise" is no donor's last name
        for name, words in COLUMNS.items():
            if name in found or any(w in key.split() for w in NOT_COLUMNS.get(name, ())):
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
    ("%Y-%m-%d %H:%M", 16),
    ("%Y-%m-%dT%H:%M", 16),
    ("%d/%m/%Y", 10),
    ("%Y-%m-%d", 10),
)
# What may follow a time: its fraction of a second, then its zone (Z, UTC, +01:00, +0100).
_ZONE = re.compile(
    r"(?:[.,]\d+)?\s*(?:(?P<utc>Z|UTC|GMT)|(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})?)",
    re.IGNORECASE,
)


def _zone(rest: str) -> tzinfo | None:
    """The time zone written after a time, or None (none, or words that say none)."""
    found = _ZONE.fullmatch(rest.strip())
    if found is None:
        return None
    if found["utc"]:
        return UTC
    offset = timedelta(hours=int(found["hours"]), minutes=int(found["minutes"] or 0))
    return timezone(-offset if found["sign"] == "-" else offset)


def _date(raw: str, *, utc: bool = False) -> date:
    """The day of a payment in the campaign's time zone (TIME_ZONE, Europe/Paris): the year
    and the period a gift is judged in are the campaign's. A time written with its zone is
    converted (2026-12-31T23:30:00Z is 00:30 on 1 January in Paris), as is a time under a
    header that says UTC (`utc`, Stripe's "Created (UTC)"); a time without a zone, or a day
    alone, is the campaign's already."""
    raw = raw.strip()
    for pattern, length in _DATES:
        try:
            moment = datetime.strptime(raw[:length], pattern)  # noqa: DTZ007 its zone follows
        except ValueError:
            continue
        zone = _zone(raw[length:]) if length > 10 else None
        if zone is None and utc and length > 10:
            zone = UTC
        if zone is None:
            return moment.date()
        return moment.replace(tzinfo=zone).astimezone(django_timezone.get_default_timezone()).date()
    raise ValueError(raw)


def _amount(raw: str) -> int:
    """A line's amount in cents, written as the provider writes it ("35,00 €", "1.000,50",
    "€35.00"); refused with the cell's words when it is no gift (zero, negative, unreadable)."""
    try:
        return money_amount(raw)
    except AmountError as error:
        raise ApplicationError(
            _("amount “%(raw)s”: %(why)s") % {"raw": raw, "why": error.message}
        ) from error


def provider_import(
    *, actor: User, entity: Entity, provider: str, path: str, method: str = "card"
) -> ImportReport:
    """Import the export at `path` as paid gifts to `entity` through `provider` (its name,
    in any case, keys the transaction ids). The provider's form collected both declarations;
    a line that names a company (its "Société", SIRET…) was not given by a natural person
    and is refused."""
    report = ImportReport()
    provider = provider_code(provider)
    if not provider:
        raise ApplicationError(_("Name the provider the export comes from."), field="provider")
    for table in iter_table(path):
        report.rejected += table.bad_lines
        columns = _columns(table.headers)
        companies = _company_headers(table.headers)
        utc = "utc" in search_key(columns["date"]).split()
        for i, line in enumerate(table.lines):

            def value(name: str, i: int = i, table=table, columns=columns) -> str:
                header = columns.get(name)
                return table.columns[header][i].strip() if header else ""

            txn = value("txn")
            try:
                if not txn:
                    raise ApplicationError(_("no transaction id"))
                company = _given_by_company({h: table.columns[h][i] for h in companies})
                if company:
                    raise ApplicationError(
                        _(
                            "given by a company (%(column)s: %(value)s): only natural "
                            "persons may give"
                        )
                        % {"column": company[0], "value": company[1]}
                    )
                if "@" not in value("email"):
                    raise ApplicationError(_("no email address"))
                amount = _amount(value("amount"))
                received_on = _date(value("date"), utc=utc)
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
