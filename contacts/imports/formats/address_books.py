"""Excel and Outlook address books's exports: the columns they write, and where each goes.

Outlook ("File > Open & Export > Import/Export > Export to a file > Comma Separated
Values", or outlook.com's "Manage contacts > Export contacts") writes the same CSV columns
in the language of the installation: English and French below, in Outlook's order. The
home address is the person's; the business address is kept as custom fields (the
employer's). Outlook writes "0/0/00" for a birthday it does not know, "Normal" for
priority and sensitivity, "False" for private and "SMTP" for the e-mail type: its own
defaults, not the person's data. Categories are joined by ";".

A French Excel sheet as people keep one (Portable, Fixe, Adresse, CP, Ville, Groupes...)
maps mostly by Terrain's own French aliases; its headers are listed so that such a sheet
is recognised, with the few Terrain does not otherwise know.
"""

NAME = "Excel and Outlook address books"
DOCS: list[str] = [
    "https://support.microsoft.com/en-us/office/export-contacts-from-outlook-10f09abd-643c-4495-bb80-543714eca73f",
    "https://support.microsoft.com/fr-fr/office/exporter-des-contacts-%C3%A0-partir-d-outlook-10f09abd-643c-4495-bb80-543714eca73f",
    "https://www.spstechnical.com/outlook_contacts_schema.htm",
]
_OUTLOOK_ENGLISH = {
    "Title": "custom:name_prefix",
    "First Name": "first_name",
    "Middle Name": "custom:middle_name",
    "Last Name": "last_name",
    "Suffix": "custom:name_suffix",
    "Company": "custom:employer",
    "Department": "custom:department",
    "Job Title": "custom:job_title",
    "Business Street": "custom:business_street",
    "Business Street 2": "custom:business_street_2",
    "Business Street 3": "custom:business_street_3",
    "Business City": "custom:business_city",
    "Business State": "custom:business_state",
    "Business Postal Code": "custom:business_postal_code",
    "Business Country/Region": "custom:business_country",
    "Home Street": "street",
    "Home Street 2": "street_2",
    "Home Street 3": "street_3",
    "Home City": "commune",
    "Home State": "custom:region",
    "Home Postal Code": "postal_code",
    "Home Country/Region": "country",
    "Business Phone": "phone_3",
    "Home Phone": "phone_2",
    "Mobile Phone": "phone",
    "Birthday": "birth_date",
    "Categories": "tags",
    "E-mail Address": "email",
    "E-mail Type": "ignore",
    "E-mail Display Name": "ignore",  # "Name (address)", the two again
    "E-mail 2 Address": "email_2",
    "E-mail 2 Type": "ignore",
    "E-mail 2 Display Name": "ignore",
    "Gender": "custom:gender",
    "Initials": "ignore",  # Outlook makes them from the names
    "Notes": "custom:notes",
    "Priority": "ignore",
    "Private": "ignore",
    "Sensitivity": "ignore",
    "Web Page": "custom:website",
}
_OUTLOOK_FRENCH = {
    "Titre": "custom:name_prefix",
    "Prénom": "first_name",
    "Deuxième prénom": "custom:middle_name",
    "Nom": "last_name",
    "Suffixe": "custom:name_suffix",
    "Société": "custom:employer",
    "Service": "custom:department",
    "Fonction": "custom:job_title",
    "Rue (bureau)": "custom:business_street",
    "Rue (bureau) 2": "custom:business_street_2",
    "Rue (bureau) 3": "custom:business_street_3",
    "Ville (bureau)": "custom:business_city",
    "Dép/Région (bureau)": "custom:business_state",
    "Code postal (bureau)": "custom:business_postal_code",
    "Pays/Région (bureau)": "custom:business_country",
    "Rue (domicile)": "street",
    "Rue (domicile) 2": "street_2",
    "Rue (domicile) 3": "street_3",
    "Ville (domicile)": "commune",
    "Dép/Région (domicile)": "custom:region",
    "Code postal (domicile)": "postal_code",
    "Pays/Région (domicile)": "country",
    "Téléphone (bureau)": "phone_3",
    "Tél. (bureau)": "phone_3",
    "Téléphone (domicile)": "phone_2",
    "Tél. (domicile)": "phone_2",
    "Tél. mobile": "phone",
    "Anniversaire": "birth_date",
    "Catégories": "tags",
    "Adresse de messagerie": "email",
    "Type de messagerie": "ignore",
    "Nom complet de l'adresse de messagerie": "ignore",
    "Adresse de messagerie 2": "email_2",
    "Type de messagerie 2": "ignore",
    "Nom complet de l'adresse de messagerie 2": "ignore",
    "Sexe": "custom:gender",
    "Initiales": "ignore",
    "Priorité": "ignore",
    "Privé": "ignore",
    "Critère de diffusion": "ignore",
    "Page Web": "custom:website",
}
# A French Excel sheet as people write it
_EXCEL_FRENCH = {
    "Nom": "last_name",
    "Prénom": "first_name",
    "Portable": "phone",
    "Fixe": "phone_2",
    "Tél. pro": "phone_3",
    "Email": "email",
    "Adresse": "street",
    "Complément d'adresse": "street_2",
    "CP": "postal_code",
    "Ville": "commune",
    "Pays": "country",
    "Date de naissance": "birth_date",
    "Groupes": "tags",
    "Notes": "custom:notes",
}
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {**_OUTLOOK_ENGLISH, **_OUTLOOK_FRENCH, **_EXCEL_FRENCH}
