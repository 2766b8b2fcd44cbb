"""HelloAsso's exports: the columns it writes, and where each goes.

A membership, event or donation form's export ("Exporter" on the form's list of
participants, CSV with ";" or XLSX) has one line per ticket: the order, then the
participant ("adhérent" for a membership, "participant" for an event), then the payer,
then one column per additional question of the form ("Champs additionnels"), titled
with the question as the association wrote it. The payments export ("Mes paiements")
has the payer alone, with the payer's address.

The participant is the person: their names come first in the file, so they win over
the payer's (a parent paying for a child, a company paying for an employee). The payer's
email is the only email HelloAsso always writes; it goes to the second email so that an
"Email" question of the form, the participant's own, is the first one when there is one.
Questions Terrain knows (Téléphone, Adresse, Code postal, Ville, Date de naissance...)
map by Terrain's own aliases; the others are kept as custom fields in one step on the
mapping page.
"""

NAME = "HelloAsso"
# HelloAsso documents its data (orders, payer, user, custom fields) through its API; the
# export's French column titles were checked against public code that reads these exports.
DOCS: list[str] = [
    "https://dev.helloasso.com/docs/introduction-%C3%A0-lapi-de-helloasso",
    "https://wiki.dolibarr.org/index.php?title=Module_HelloAsso_FR",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    # The order
    "Référence commande": "custom:helloasso_commande",
    "Date de la commande": "source_at",
    "Statut de la commande": "ignore",  # "Validé": every exported line is paid
    # The participant, as a membership form writes them, then an event's
    "Nom adhérent": "last_name",
    "Prénom adhérent": "first_name",
    "Nom participant": "last_name",
    "Prénom participant": "first_name",
    # The payer: the person when nobody else is named (a donation, the payments export)
    "Nom payeur": "last_name",
    "Prénom payeur": "first_name",
    "Email payeur": "email_2",
    "Raison sociale": "custom:raison_sociale",
    "Date de naissance": "birth_date",
    "Adresse payeur": "street",
    "Code Postal payeur": "postal_code",
    "Ville payeur": "commune",
    "Pays payeur": "country",
    # What the person took: the form and its rate
    "Campagne": "tags",
    "Tarif": "custom:tarif",
    "Montant tarif": "custom:montant_tarif",
    "Montant du tarif": "custom:montant_tarif",
    "Moyen de paiement": "ignore",
    "Code Promo": "ignore",
    "Montant code promo": "ignore",
    # Additional questions HelloAsso suggests when a form is built
    "Complément d'adresse": "street_2",
    "Pays": "country",
}
