"""Action Network's exports: the columns it writes, and where each goes.

A report's download writes the activist's fields under Action Network's own names
(can2_user_address, can2_phone, can2_subscription_status, can2_user_tags...) next to plain
ones (first_name, email, zip_code); custom fields come under their own names. Email and
SMS statuses are words: subscribed, unsubscribed, bouncing, spam complaint."""

NAME = "Action Network"
DOCS: list[str] = [
    "https://help.actionnetwork.org/hc/en-us/articles/203850675-Viewing-an-activist-s-record",
    "https://help.actionnetwork.org/hc/en-us/articles/203112959-File-formats-for-list-uploads",
    "https://help.actionnetwork.org/hc/en-us/articles/203113019-Unsubscribing-resubscribing-and-deleting-activists-via-upload",
    "https://actionnetwork.org/docs/v2/people",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    "uuid": "custom:action_network_id",
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "zip_code": "postal_code",
    "can2_user_address": "street",
    "can2_user_city": "commune",
    "can2_county": "custom:county",
    "can2_state_abbreviated": "custom:state",
    "country": "country",
    "can2_phone": "phone",
    "can2_sms_status": "consent_sms",
    "can2_subscription_status": "consent_email",
    "can2_subscription_date": "source_at",
    "can2_user_tags": "tags",
    "language": "custom:language",
}
