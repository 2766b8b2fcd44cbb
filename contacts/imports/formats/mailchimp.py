"""Mailchimp's exports: the columns it writes, and where each goes.

An audience export is a zip of three files, subscribed, unsubscribed and cleaned: the
status is the file, not a column. Each writes the audience's fields by label ("Email
Address", "First Name", "Address", "Phone Number", "Birthday") then Mailchimp's own
columns in capitals; the unsubscribed file adds UNSUB_*, the cleaned one CLEAN_*. The
address is one cell, its parts separated by two spaces; a birthday is MM/DD, no year;
TAGS is "a","b"."""

NAME = "Mailchimp"
DOCS: list[str] = [
    "https://mailchimp.com/help/view-export-contacts/",
    "https://mailchimp.com/help/format-guidelines-for-your-import-file/",
    "http://kb.mailchimp.com/lists/growth/format-list-fields",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    "Email Address": "email",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Address": "street",
    "Phone Number": "phone",
    "Birthday": "birth_date",
    "MEMBER_RATING": "ignore",  # Mailchimp's engagement stars
    "OPTIN_TIME": "source_at",
    "OPTIN_IP": "ignore",
    # When the person confirmed a double opt-in: the proof of the consent, kept.
    "CONFIRM_TIME": "custom:confirm_time",
    "CONFIRM_IP": "ignore",
    # Where the IP address was located, not the person's address.
    "LATITUDE": "ignore",
    "LONGITUDE": "ignore",
    "GMTOFF": "ignore",
    "DSTOFF": "ignore",
    "TIMEZONE": "ignore",
    "CC": "ignore",
    "REGION": "ignore",
    "LAST_CHANGED": "ignore",
    "LEID": "ignore",  # the audience's web id
    "EUID": "custom:mailchimp_id",
    "NOTES": "custom:notes",
    "TAGS": "tags",
    # The unsubscribed file: a date, not a yes/no, so it withdraws nothing by itself.
    "UNSUB_TIME": "custom:unsub_time",
    "UNSUB_CAMPAIGN_TITLE": "custom:unsub_campaign",
    "UNSUB_CAMPAIGN_ID": "ignore",
    "UNSUB_REASON": "custom:unsub_reason",
    "UNSUB_REASON_OTHER": "custom:unsub_reason_other",
    # The cleaned file: addresses that bounced.
    "CLEAN_TIME": "custom:clean_time",
    "CLEAN_CAMPAIGN_TITLE": "custom:clean_campaign",
    "CLEAN_CAMPAIGN_ID": "ignore",
}
