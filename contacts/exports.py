"""Contact exports: the columns, spreadsheet-safe cells, CSV and XLSX writers, and CSV files
in the shapes other tools' people imports read (Action Network, NationBuilder)."""

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from .models import Channel, ConsentStatus, Contact, ContactPhone

CONTACT_EXPORT_HEADER = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postal_code",
    "commune",
    "insee_code",
    "bureau_code",
    "tags",
    *[f"consent_{channel}" for channel in Channel.values],
    "source",
    "source_detail",
    "source_at",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run: formula-looking text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def first_channels(contact: Contact) -> tuple[str, str]:
    """The contact's first email and phone (primary first), from prefetched relations."""
    emails = list(contact.emails.all())
    phones = list(contact.phones.all())
    email = emails[0].address if emails else ""
    phone = (phones[0].e164 or phones[0].raw) if phones else ""
    return email, phone


def contact_export_row(contact: Contact) -> list[str]:
    """One line; expects the relations prefetched by selectors.contact_list_rows."""
    email, phone = first_channels(contact)
    consents = {c.channel: c.status for c in contact.consents.all()}
    values = [
        contact.uuid,
        contact.first_name,
        contact.last_name,
        email,
        phone,
        contact.street,
        contact.postal_code,
        contact.commune,
        contact.insee_code,
        contact.bureau_code,
        ", ".join(t.name for t in contact.tags.all()),
        *[consents.get(channel, "") for channel in Channel.values],
        contact.source,
        contact.source_detail,
        contact.source_at.isoformat(),
    ]
    return [spreadsheet_safe(v) for v in values]


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows, *, safe: Callable[[object], str] = spreadsheet_safe):
    """Lines of a CSV file to stream: UTF-8 with a BOM (for Excel), cells made safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([safe(value) for value in header])  # names people type
    for row in rows:
        yield writer.writerow([safe(value) for value in row])


def csv_stream(contacts):
    """Lines of a CSV export of `contacts` (relations prefetched)."""
    return csv_lines(
        CONTACT_EXPORT_HEADER, (contact_export_row(c) for c in contacts.iterator(chunk_size=2000))
    )


def xlsx_file(contacts) -> bytes:
    """An XLSX export of `contacts`, written row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("contacts")
    sheet.append(CONTACT_EXPORT_HEADER)
    for contact in contacts.iterator(chunk_size=2000):
        sheet.append(contact_export_row(contact))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Other tools' people imports. Each format is its columns as data: (the header the tool's
# importer matches by itself, how the value is read from a contact whose relations
# selectors.contact_list_rows prefetched), then one column per custom field the exported
# people hold, which both tools import as their own custom fields.

Getter = Callable[[Contact], object]


@dataclass(frozen=True)
class ToolFormat:
    slug: str
    name: str
    docs: list[str]  # the public pages the headers come from
    columns: list[tuple[str, Getter]]


def _emails(contact: Contact) -> list[str]:
    return [email.address for email in contact.emails.all()]


def _email(index: int) -> Getter:
    return lambda contact: next(iter(_emails(contact)[index:]), "")


def _number(phone: ContactPhone) -> str:
    return phone.e164 or phone.raw


def _mobiles_and_others(contact: Contact) -> tuple[list[str], list[str]]:
    phones = list(contact.phones.all())
    mobiles = [_number(p) for p in phones if p.kind == ContactPhone.Kind.MOBILE]
    others = [_number(p) for p in phones if p.kind != ContactPhone.Kind.MOBILE]
    return mobiles, others


def _mobile(contact: Contact) -> str:
    return next(iter(_mobiles_and_others(contact)[0]), "")


def _landline(contact: Contact) -> str:
    return next(iter(_mobiles_and_others(contact)[1]), "")


def _next_phone(contact: Contact) -> str:
    """The phone the mobile and landline columns left out (Terrain does not know a work
    phone from a home one): no number is lost when a person has three."""
    mobiles, others = _mobiles_and_others(contact)
    return next(iter(others[1:] + mobiles[1:]), "")


def _country(contact: Contact) -> str:
    """The address's ISO code; an empty one is France (Contact.country), said as "FR" so that
    the other tool does not take a French postal code for one of its own country."""
    if contact.country:
        return contact.country
    return "FR" if contact.street or contact.postal_code or contact.commune else ""


def _tags(contact: Contact) -> str:
    return ", ".join(tag.name for tag in contact.tags.all())


def _consent(channel: str, *, granted: str, withdrawn: str) -> Getter:
    """What the tool writes for a granted or withdrawn consent; nothing when none was asked."""
    said: dict[str, str] = {ConsentStatus.GRANTED: granted, ConsentStatus.WITHDRAWN: withdrawn}

    def get(contact: Contact) -> str:
        status = next((c.status for c in contact.consents.all() if c.channel == channel), "")
        return said.get(status, "")

    return get


def _collected_at(contact: Contact) -> str:
    return timezone.localtime(contact.source_at).isoformat(timespec="seconds")


def _birth_date(contact: Contact) -> str:
    return contact.birth_date.isoformat() if contact.birth_date else ""


# Action Network's uploader matches a column named as its own fields by itself; they are the
# names its reports write (zip_code, can2_user_city...). It keeps one phone, the mobile it
# texts. It tags and subscribes a whole upload at once (chosen when uploading): the tags and
# both subscription statuses are in the file, in its reports' words, so nothing is lost.
ACTION_NETWORK = ToolFormat(
    slug="action-network",
    name="Action Network",
    docs=[
        "https://help.actionnetwork.org/hc/en-us/articles/203112959-File-formats-for-list-uploads",
        "https://help.actionnetwork.org/hc/en-us/articles/203112989-Uploading-a-new-email-or-mobile-list",
        "https://help.actionnetwork.org/hc/en-us/articles/203846165-Using-tags",
    ],
    columns=[
        ("email", _email(0)),
        ("first_name", lambda c: c.first_name),
        ("last_name", lambda c: c.last_name),
        ("can2_user_address", lambda c: c.street),
        ("can2_user_city", lambda c: c.commune),
        ("zip_code", lambda c: c.postal_code),
        ("country", _country),
        ("can2_phone", _mobile),
        ("can2_user_tags", _tags),
        (
            "can2_subscription_status",
            _consent(Channel.EMAIL, granted="subscribed", withdrawn="unsubscribed"),
        ),
        ("can2_sms_status", _consent(Channel.SMS, granted="subscribed", withdrawn="unsubscribed")),
    ],
)

# NationBuilder's people import: its standard import fields, with tags comma separated in
# tag_list, opt-ins as true/false, a withdrawn consent to calls as do_not_call, an objection to
# any contact (GDPR art. 21) as do_not_contact, and Terrain's id as external_id (a unique id
# NationBuilder matches people by on the next import).
NATIONBUILDER = ToolFormat(
    slug="nationbuilder",
    name="NationBuilder",
    docs=[
        "https://support.nationbuilder.com/en/articles/2895987-fields-available-for-import",
        "https://nationbuilder.com/what_fields_are_available_for_imports",
    ],
    columns=[
        ("external_id", lambda c: c.uuid),
        ("first_name", lambda c: c.first_name),
        ("last_name", lambda c: c.last_name),
        ("born_at", _birth_date),
        ("email", _email(0)),
        ("email2", _email(1)),
        ("email_opt_in", _consent(Channel.EMAIL, granted="true", withdrawn="false")),
        ("mobile_number", _mobile),
        ("mobile_opt_in", _consent(Channel.SMS, granted="true", withdrawn="false")),
        ("phone_number", _landline),
        ("work_phone_number", _next_phone),
        ("do_not_call", _consent(Channel.PHONE, granted="", withdrawn="true")),
        ("do_not_contact", lambda c: "true" if c.objected_at else ""),
        ("address1", lambda c: c.street),
        ("city", lambda c: c.commune),
        ("zip", lambda c: c.postal_code),
        ("country_code", _country),
        ("tag_list", _tags),
        ("created_at", _collected_at),
    ],
)

TOOL_FORMATS = {"action_network": ACTION_NETWORK, "nationbuilder": NATIONBUILDER}

_PHONE_NUMBER = re.compile(r"\+\d{6,15}")


def tool_cell(value) -> str:
    """A spreadsheet-safe cell, but for a phone number in E.164: "+33612345678" runs nothing
    in a spreadsheet, and an apostrophe before it would land in the other tool's number."""
    text = "" if value is None else str(value)
    return text if _PHONE_NUMBER.fullmatch(text) else spreadsheet_safe(text)


def _custom_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def tool_csv_stream(contacts: QuerySet[Contact], tool: ToolFormat, *, custom_fields: list[str]):
    """Lines of a CSV export of `contacts` (relations prefetched) in `tool`'s import format,
    with a column per custom field in `custom_fields` (the names they hold, from
    contacts.selectors.custom_field_names; renamed custom_<name> if the name is taken)."""
    names = custom_fields
    taken = {header.casefold() for header, _get in tool.columns}
    header = [h for h, _get in tool.columns] + [
        f"custom_{name}" if name.casefold() in taken else name for name in names
    ]

    def rows():
        for contact in contacts.iterator(chunk_size=2000):
            custom = contact.custom_fields if isinstance(contact.custom_fields, dict) else {}
            yield [get(contact) for _h, get in tool.columns] + [
                _custom_value(custom.get(name)) for name in names
            ]

    return csv_lines(header, rows(), safe=tool_cell)
