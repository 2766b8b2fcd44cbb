"""Zetkin's exports: the columns it writes, and where each goes.

A list ("view") of people is exported as CSV or XLSX from its menu; each column is titled
with the label Zetkin shows in the organizer's language (English or Swedish), the person
fields first. Zetkin's API and older tools write the fields' own names (first_name,
alt_phone, co_address...), which are listed too. The c/o line follows the street on
Terrain's one street line; the gender, external ID and Zetkin's own ID are kept as
custom fields (the IDs let a later sync find the same people again).
"""

NAME = "Zetkin"
DOCS: list[str] = [
    "https://github.com/zetkin/app.zetkin.org/blob/main/src/core/i18n/globalMessageIds.ts",
    "https://github.com/zetkin/app.zetkin.org/blob/main/src/locale/sv.yml",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    # English labels (glob.personFields), in the order of a view's person columns
    "ID": "custom:zetkin_id",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email": "email",
    "Phone Number": "phone",
    "Alternate Phone Number": "phone_2",
    "C/O Address": "street_2",
    "Address": "street",
    "Post Code": "postal_code",
    "City": "commune",
    "Country": "country",
    "Gender": "custom:gender",
    "External ID": "custom:external_id",
    # Swedish labels
    "Förnamn": "first_name",
    "Efternamn": "last_name",
    "E-post": "email",
    "Telefonnummer": "phone",
    "Alternativt telefonnummer": "phone_2",
    "C/o-adress": "street_2",
    "Adress": "street",
    "Postnummer": "postal_code",
    "Ort": "commune",
    "Land": "country",
    "Kön": "custom:gender",
    "Externt ID": "custom:external_id",
    # The fields' own names (API, join forms, older exports)
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "phone": "phone",
    "alt_phone": "phone_2",
    "co_address": "street_2",
    "street_address": "street",
    "zip_code": "postal_code",
    "city": "commune",
    "country": "country",
    "gender": "custom:gender",
    "ext_id": "custom:external_id",
}
