"""Qomon's exports: the columns it writes, and where each goes.

Qomon publishes no list of its export's columns; these are the contact properties its
help centre names (contact card, imports, consents, duplicates), under their French
labels. Consents and unsubscribes are one yes/no column per channel."""

NAME = "Qomon"
DOCS: list[str] = [
    "https://help.qomon.com/en/articles/4745069-how-do-i-import-contact-files-into-qomon",
    "https://help.qomon.com/en/articles/10535772-managing-consents-when-importing-contacts",
    "https://help.qomon.com/en/articles/15232992-manage-contact-consents-in-qomon",
    "https://help.qomon.com/fr/articles/4444822-comment-qomon-identifie-les-contacts-doublons",
    "https://help.qomon.com/en/articles/8290577-import-custom-fields",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    "ID Qomon": "custom:qomon_id",
    "Prénom": "first_name",
    "Nom": "last_name",
    "Nom marital": "custom:nom_marital",
    "Genre": "custom:gender",
    "Date de naissance": "birth_date",
    "Email": "email",
    "Téléphone mobile": "phone",
    "Téléphone fixe": "phone_2",
    "Adresse": "street",
    "Complément d'adresse": "street_2",
    "Code postal": "postal_code",
    "Ville": "commune",
    "Pays": "country",
    "Tags": "tags",
    "Niveau de soutien": "custom:niveau_de_soutien",
    "Date de création": "source_at",
    "Consentement email": "consent_email",
    "Consentement mobile": "consent_sms",
    "Désabonné email": "optout_email",
    "Désabonné SMS": "optout_sms",
    "Désabonné appels": "optout_phone",
    # "Ne plus contacter" blocks every channel (an objection): a withdrawal on each.
    "Ne plus contacter": "optout_all",
}
