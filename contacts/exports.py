"""Contact exports: the columns, spreadsheet-safe cells, CSV and XLSX writers."""

import csv
import io

from openpyxl import Workbook

from .models import Channel, Contact

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


def csv_lines(header: list[str], rows):
    """Lines of a CSV file to stream: UTF-8 with a BOM (for Excel), cells made safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([spreadsheet_safe(value) for value in header])  # names people type
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row])


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
