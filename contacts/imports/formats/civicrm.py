"""CiviCRM's exports: the columns it writes, and where each goes.

Search, select the contacts, "Export contacts", "Export PRIMARY fields": a CSV with one
line per contact and the fields' titles as headers, in the order below (the primary
address, phone and email; the privacy flags as 1 or 0; dates as "YYYY-MM-DD HH:MM:SS";
groups and tags each in one cell, separated by commas).

The "Do not ..." privacy flags are withdrawals of the channel; "No Bulk Emails (User Opt
Out)" says the same of emails, but each target is used once per file and "Do Not Email"
comes first. Tag(s) are the tags; Group(s) are kept as a custom field, as the one tags
column is taken. Greetings, display and sort names repeat the names; internal ids,
hashes, geocodes and flags of CiviCRM's own are technical.
"""

NAME = "CiviCRM"
DOCS: list[str] = [
    "https://docs.civicrm.org/user/en/latest/common-workflows/importing-data-into-civicrm/",
    "https://github.com/civicrm/civicrm-core/blob/master/CRM/Export/BAO/ExportProcessor.php",
    "https://github.com/civicrm/civicrm-core/blob/master/tests/phpunit/CRM/Export/BAO/ExportTest.php",
    "https://github.com/civicrm/civicrm-core/blob/master/xml/schema/Contact/Contact.xml",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    "Contact ID": "custom:civicrm_id",
    "Contact Type": "ignore",
    "Contact Subtype": "custom:contact_subtype",
    "Do Not Email": "optout_email",
    "Do Not Phone": "optout_phone",
    "Do Not Mail": "optout_post",
    "Do Not Sms": "optout_sms",
    "Do Not Trade": "custom:do_not_trade",
    "No Bulk Emails (User Opt Out)": "optout_email",
    "Legal Identifier": "custom:legal_identifier",
    "External Identifier": "custom:external_id",
    "Sort Name": "ignore",
    "Display Name": "ignore",
    "Nickname": "custom:nickname",
    "Legal Name": "custom:legal_name",
    "Image Url": "ignore",
    "Preferred Communication Method": "custom:preferred_communication_method",
    "Preferred Language": "custom:preferred_language",
    "Preferred Mail Format": "ignore",
    "Contact Hash": "ignore",
    "Contact Source": "custom:contact_source",
    "First Name": "first_name",
    "Middle Name": "custom:middle_name",
    "Last Name": "last_name",
    "Individual Prefix": "custom:name_prefix",
    "Individual Suffix": "custom:name_suffix",
    "Formal Title": "custom:formal_title",
    "Communication Style": "ignore",
    "Email Greeting ID": "ignore",
    "Postal Greeting ID": "ignore",
    "Addressee ID": "ignore",
    "Job Title": "custom:job_title",
    "Gender": "custom:gender",
    "Birth Date": "birth_date",
    "Deceased": "custom:deceased",
    "Deceased Date": "custom:deceased_date",
    "Household Name": "custom:household",
    "Organization Name": "custom:organization",
    "SIC Code": "ignore",
    "Unique ID (OpenID)": "ignore",
    "Current Employer ID": "ignore",
    "Contact is in Trash": "ignore",
    "Created Date": "source_at",
    "Modified Date": "ignore",
    "Addressee": "ignore",
    "Email Greeting": "ignore",
    "Postal Greeting": "ignore",
    "Current Employer": "custom:employer",
    "Location Type": "ignore",
    "Street Address": "street",
    "Street Number": "street_number",  # parts of Street Address, used when it is empty
    "Street Number Suffix": "ignore",
    "Street Name": "street_name",
    "Street Unit": "ignore",
    "Supplemental Address 1": "street_2",
    "Supplemental Address 2": "street_3",
    "Supplemental Address 3": "custom:supplemental_address_3",
    "City": "commune",
    "Postal Code Suffix": "custom:postal_code_suffix",
    "Postal Code": "postal_code",
    "Latitude": "ignore",
    "Longitude": "ignore",
    "Address Name": "custom:address_name",
    "Master Address Belongs To": "ignore",
    "County": "custom:county",
    "State": "custom:state",
    "Country": "country",
    "Phone": "phone",
    "Phone Extension": "custom:phone_extension",
    "Phone Type": "ignore",  # the kind of the phone (Mobile, Phone), read from the number
    "Email": "email",
    "On Hold": "ignore",  # CiviCRM's own bounce flag
    "Use for Bulk Mail": "ignore",
    "Signature Text": "ignore",
    "Signature Html": "ignore",
    "IM Provider": "ignore",
    "IM Screen Name": "custom:im",
    "OpenID": "ignore",
    "World Region": "ignore",
    "Website": "custom:website",
    "Group(s)": "custom:groups",
    "Tag(s)": "tags",
    "Note(s)": "custom:notes",
}
