"""Google Contacts's exports: the columns it writes, and where each goes.

contacts.google.com, "Export", "Google CSV": one line per contact, with as many numbered
e-mail, phone and address columns as the contact with the most of them needs. Today's
format titles the names "First Name" / "Last Name" and the groups "Labels"; the older
one (still in many archives, and written by the old Gmail contacts manager) "Given Name"
/ "Family Name" and "Group Membership", and starts with the full "Name". Groups sit in one
cell, joined by " ::: ", with Google's own ("* myContacts", "* starred") among them.

The numbered values go to the first three phones, the first two emails and the first
address; "- Label" / "- Type" columns only say which kind each one is (Mobile, Home,
Work), which Terrain reads from the number itself. "Address 1 - Formatted" repeats the
address's parts in one block; the PO box follows the street.
"""

NAME = "Google Contacts"
DOCS: list[str] = [
    "https://support.google.com/contacts/answer/7199294",
    "https://support.google.com/contacts/answer/1069522",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
_NUMBERED = {
    "E-mail 1 - Value": "email",
    "E-mail 2 - Value": "email_2",
    "E-mail 1 - Label": "ignore",
    "E-mail 2 - Label": "ignore",
    "E-mail 1 - Type": "ignore",
    "E-mail 2 - Type": "ignore",
    "Phone 1 - Value": "phone",
    "Phone 2 - Value": "phone_2",
    "Phone 3 - Value": "phone_3",
    "Phone 1 - Label": "ignore",
    "Phone 2 - Label": "ignore",
    "Phone 3 - Label": "ignore",
    "Phone 1 - Type": "ignore",
    "Phone 2 - Type": "ignore",
    "Phone 3 - Type": "ignore",
    "Address 1 - Label": "ignore",
    "Address 1 - Type": "ignore",
    "Address 1 - Formatted": "ignore",
    "Address 1 - Street": "street",
    "Address 1 - Extended Address": "street_2",
    "Address 1 - PO Box": "street_3",
    "Address 1 - City": "commune",
    "Address 1 - Region": "custom:region",
    "Address 1 - Postal Code": "postal_code",
    "Address 1 - Country": "country",
    "Website 1 - Value": "custom:website",
    "Website 1 - Label": "ignore",
    "Website 1 - Type": "ignore",
}
HEADERS: dict[str, str] = {
    # Today's format, in its order
    "First Name": "first_name",
    "Middle Name": "custom:middle_name",
    "Last Name": "last_name",
    "Phonetic First Name": "ignore",
    "Phonetic Middle Name": "ignore",
    "Phonetic Last Name": "ignore",
    "Name Prefix": "custom:name_prefix",
    "Name Suffix": "custom:name_suffix",
    "Nickname": "custom:nickname",
    "File As": "ignore",  # how the contact sorts: the names again
    "Organization Name": "custom:organization",
    "Organization Title": "custom:job_title",
    "Organization Department": "custom:department",
    "Birthday": "birth_date",
    "Notes": "custom:notes",
    "Photo": "ignore",  # a link to the picture on Google's servers
    "Labels": "tags",
    # The older format's own columns, in its order
    "Given Name": "first_name",
    "Additional Name": "custom:middle_name",
    "Family Name": "last_name",
    "Maiden Name": "birth_name",
    "Gender": "custom:gender",
    "Occupation": "custom:occupation",
    "Group Membership": "tags",
    "Organization 1 - Name": "custom:organization",
    "Organization 1 - Title": "custom:job_title",
    "Organization 1 - Department": "custom:department",
    "Organization 1 - Type": "ignore",
    **_NUMBERED,
}
