"""Which column holds what: known headers in French and English, and the electoral list.

A mapping is a dict {column header: target}. Targets are the keys of FIELDS,
"custom:<name>" for a custom field, or "ignore".
"""

from django.utils.translation import gettext_lazy as _

from contacts.normalize import search_key

from . import formats

FIELDS = {
    "first_name": _("First name"),
    "last_name": _("Last name (usual)"),
    "birth_name": _("Birth name"),
    "email": _("Email"),
    "phone": _("Phone"),
    "email_2": _("Second email"),
    "phone_2": _("Second phone"),
    "phone_3": _("Third phone"),
    "street": _("Street address"),
    "street_2": _("Address line 2"),
    "street_3": _("Address line 3"),
    "street_number": _("Street number"),
    "street_name": _("Street name"),
    "postal_code": _("Postal code"),
    "commune": _("Commune"),
    "country": _("Country"),
    "insee_code": _("INSEE code"),
    "bureau_code": _("Polling station code"),
    "bureau_label": _("Polling station name"),
    "bureau_order": _("Order number in the polling station"),
    "birth_date": _("Birth date"),
    "tags": _("Tags (separated by commas or semicolons)"),
    "source_at": _("Date added (created or subscribed)"),
    "consent_email": _("Agrees to emails (yes / no, subscribed / unsubscribed)"),
    "consent_sms": _("Agrees to text messages (yes / no, subscribed / unsubscribed)"),
    "consent_phone": _("Agrees to phone calls (yes / no)"),
    "consent_post": _("Agrees to post (yes / no)"),
    "optout_email": _("Refuses emails (yes = unsubscribed)"),
    "optout_sms": _("Refuses text messages (yes = unsubscribed)"),
    "optout_phone": _("Refuses phone calls (yes = do not call)"),
    "optout_post": _("Refuses post (yes = do not mail)"),
    "optout_all": _("Refuses all contact (yes = do not contact)"),
}
CONSENT_PREFIX = "consent_"
OPTOUT_PREFIX = "optout_"
OPTOUT_ALL = "optout_all"
# Targets several columns may feed: tags from each, and any yes or withdrawal among the
# consent columns (CiviCRM writes "Do Not Email" and "No Bulk Emails" apart).
MULTIPLE = {"tags"} | {key for key in FIELDS if key.startswith((CONSENT_PREFIX, OPTOUT_PREFIX))}
IGNORE = "ignore"
CUSTOM_PREFIX = "custom:"

# Columns that must never be stored: CNIL forbids targeting by birthplace or nationality,
# and religion or ethnic origin (GDPR art. 9) have no place in a campaign file.
FORBIDDEN = {
    "lieu de naissance",
    "commune de naissance",
    "departement de naissance",
    "pays de naissance",
    "code du lieu de naissance",
    "libelle du lieu de naissance",
    "nationalite",
    "place of birth",
    "birthplace",
    "nationality",
    # Art. 9 data no campaign file needs: religion and ethnic origin.
    "religion",
    "confession",
    "church",
    "eglise",
    "ethnicity",
    "ethnie",
    "origine ethnique",
    "race",
}

_ALIASES = {
    "first_name": ["prenom", "prenoms", "first name", "firstname", "given name", "prenom usuel"],
    "last_name": [
        "nom",
        "nom d usage",
        "nom usage",
        "nom de famille",
        "last name",
        "lastname",
        "surname",
        "family name",
    ],
    "birth_name": ["nom de naissance", "nom patronymique", "birth name", "maiden name"],
    "email": [
        "email",
        "e mail",
        "mail",
        "courriel",
        "adresse email",
        "adresse e mail",
        "adresse mail",
        "email address",
    ],
    "email_2": ["email 2", "e mail 2", "mail 2", "courriel 2", "second email", "email secondaire"],
    "phone": [
        "telephone",
        "tel",
        "portable",
        "telephone portable",
        "tel portable",
        "mobile",
        "telephone mobile",
        "numero de telephone",
        "phone",
        "phone number",
        "mobile phone",
        "cell",
    ],
    "phone_2": [
        "telephone fixe",
        "tel fixe",
        "fixe",
        "landline",
        "home phone",
        "telephone 2",
        "phone 2",
    ],
    "phone_3": [
        "telephone 3",
        "phone 3",
        "telephone professionnel",
        "tel professionnel",
        "tel pro",
        "telephone bureau",
        "work phone",
    ],
    "street": [
        "adresse",
        "adresse postale",
        "rue",
        "address",
        "street",
        "street address",
        "adresse 1",
        "adresse ligne 1",
        "address line 1",
    ],
    "street_2": [
        "complement d adresse",
        "complement adresse",
        "adresse 2",
        "adresse ligne 2",
        "address 2",
        "address line 2",
    ],
    "street_3": ["adresse 3", "adresse ligne 3", "address 3", "address line 3"],
    "country": ["pays", "country", "code pays", "country code"],
    "street_number": ["numero de voie", "numero", "n de voie", "street number"],
    "street_name": ["libelle de voie", "voie", "nom de voie", "street name"],
    "postal_code": ["code postal", "cp", "postal code", "zip", "zip code", "postcode"],
    "commune": ["commune", "ville", "localite", "city", "town", "libelle de la commune"],
    "insee_code": ["code insee", "insee", "code commune", "code de la commune", "insee code"],
    "bureau_code": [
        "code du bureau de vote",
        "bureau de vote",
        "code bureau",
        "bureau",
        "polling station",
    ],
    "bureau_label": [
        "libelle du bureau de vote",
        "libelle bureau",
        "nom du bureau",
        "polling station name",
    ],
    "bureau_order": ["numero d ordre dans le bureau de vote", "numero d ordre", "n d ordre"],
    "birth_date": [
        "date de naissance",
        "naissance",
        "ne le",
        "ne e le",
        "birth date",
        "birthdate",
        "date of birth",
        "dob",
    ],
    "tags": ["tags", "etiquettes", "tag", "etiquette", "groupes"],
    "source_at": [
        "date d inscription",
        "date de creation",
        "date d ajout",
        "cree le",
        "inscrit le",
        "created at",
        "date added",
        "date created",
        "created",
    ],
    **{
        f"consent_{channel}": [
            f"{word} {name}"
            for word in ("accord", "consentement", "optin", "opt in", "accepte", "consent")
            for name in names
        ]
        + [f"{name} ok" for name in names]
        for channel, names in {
            "email": ["email", "e mail", "mail", "courriel", "emails", "mails"],
            "sms": ["sms", "texto", "textos"],
            "phone": ["telephone", "appel", "appels", "phone", "calls"],
            "post": ["courrier", "postal", "post"],
        }.items()
    },
}
_BY_KEY = {key: target for target, names in _ALIASES.items() for key in names}


def header_key(header: str) -> str:
    return search_key(header).replace("°", "").strip()


# Other tools' headers, as their exports write them; a header Terrain already knows keeps
# its meaning (formats' own test checks no tool contradicts another).
_TOOL_KEYS = {
    header_key(header): target for tool in formats.TOOLS for header, target in tool.HEADERS.items()
}
_GENERIC_KEYS = set(_BY_KEY)
_BY_KEY = {**_TOOL_KEYS, **_BY_KEY}

# The columns that identify an extract of the Répertoire électoral unique.
_ELECTORAL_LIST_MARKERS = {"nom de naissance", "code du bureau de vote", "prenoms"}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """The automatic mapping: known headers to their field, each field used once (but tags
    and consents, which several columns may feed), the rest ignored."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        target = _BY_KEY.get(header_key(header))
        if target and (target not in used or target in MULTIPLE):
            mapping[header] = target
            used.add(target)
        else:
            mapping[header] = IGNORE
    return mapping


def detect_tool(headers: list[str]) -> str:
    """The tool a file most likely comes from (its NAME), or "" when none stands out: the one
    whose own headers (not those any file may have, as "Email") the file uses most, at
    least three of them."""
    keys = {header_key(h) for h in headers} - _GENERIC_KEYS
    best, best_count = "", 2
    for tool in formats.TOOLS:
        count = len(keys & {header_key(h) for h in tool.HEADERS})
        if count > best_count:
            best, best_count = tool.NAME, count
    return best


def is_electoral_list(headers: list[str]) -> bool:
    keys = {header_key(h) for h in headers}
    return keys >= _ELECTORAL_LIST_MARKERS


def forbidden_columns(headers: list[str]) -> list[str]:
    return [h for h in headers if header_key(h) in FORBIDDEN]


def validate_mapping(mapping: dict[str, str], headers: list[str]) -> list[str]:
    """Problems with a mapping, as sentences; empty when it can be used."""
    problems = []
    unknown = [h for h in mapping if h not in headers]
    if unknown:
        problems.append(str(_("Unknown columns: %(cols)s")) % {"cols": ", ".join(unknown)})
    seen: dict[str, str] = {}
    for header, target in mapping.items():
        if target == IGNORE:
            continue
        if target.startswith(CUSTOM_PREFIX):
            if not target[len(CUSTOM_PREFIX) :].strip():
                problems.append(
                    str(_("Column %(col)s: a custom field needs a name.")) % {"col": header}
                )
            continue
        if target not in FIELDS:
            problems.append(
                str(_("Column %(col)s: unknown field %(field)s."))
                % {"col": header, "field": target}
            )
        elif target in seen and target not in MULTIPLE:
            problems.append(
                str(_("Columns %(a)s and %(b)s both go to %(field)s."))
                % {"a": seen[target], "b": header, "field": target}
            )
        else:
            seen[target] = header
        if header_key(header) in FORBIDDEN:
            problems.append(
                str(
                    _(
                        "Column %(col)s (birthplace, nationality, religion or ethnic origin) "
                        "cannot be imported."
                    )
                )
                % {"col": header}
            )
    return problems
