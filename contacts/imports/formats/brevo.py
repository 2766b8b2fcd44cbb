"""Brevo (Sendinblue)'s exports: the columns it writes, and where each goes.

A contact export writes each attribute under its name in capitals: EMAIL, the names
(FIRSTNAME and LASTNAME on an English account, PRENOM and NOM on a French one), SMS (the
mobile number, with its country code), LANDLINE_NUMBER, WHATSAPP, EXT_ID; then the
metadata ADDED_TIME and MODIFIED_TIME, and the blocklist flags EMAIL_BLACKLISTED and
SMS_BLACKLISTED (yes = the person unsubscribed). Lists come as ids, not names: no tags."""

NAME = "Brevo (Sendinblue)"
DOCS: list[str] = [
    "https://help.brevo.com/hc/en-us/articles/208729849-Create-a-file-to-import-your-contacts",
    "https://developers.brevo.com/reference/request-contact-export",
    "https://developers.brevo.com/reference/importcontacts-1",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    "EMAIL": "email",
    "FIRSTNAME": "first_name",
    "PRENOM": "first_name",
    "LASTNAME": "last_name",
    "NOM": "last_name",
    "SMS": "phone",
    "LANDLINE_NUMBER": "phone_2",
    "WHATSAPP": "phone_3",
    "EXT_ID": "custom:external_id",
    # A confirmed double opt-in is the email consent; a blocklisted address withdraws it.
    "DOUBLE_OPT-IN": "consent_email",
    "ADDED_TIME": "source_at",
    "MODIFIED_TIME": "ignore",
    "EMAIL_BLACKLISTED": "optout_email",
    "SMS_BLACKLISTED": "optout_sms",
}
