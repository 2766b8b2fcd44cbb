"""From a read table and a mapping to clean rows, column by column (vectorized with pandas).

Every row either comes out clean (maybe with warnings about a value that was dropped)
or is rejected with its line number and the reason; none disappears.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import phonenumbers
from django.utils.translation import gettext as _

from campaign.bulk import db_datetime
from contacts.models import Channel
from contacts.normalize import phone_read_many, search_key_many

from .mapping import CONSENT_PREFIX, CUSTOM_PREFIX, OPTOUT_ALL, OPTOUT_PREFIX
from .reader import Table
from .values import answers, countries, split_combined_addresses, tag_lists, timestamps

# The countries whose national phone numbers a row's country column helps read.
_PHONE_REGIONS = phonenumbers.SUPPORTED_REGIONS

_EMAIL = r"[^@\s,;<>()\[\]\"']+@[^@\s,;<>()\[\]\"']+\.[A-Za-z]{2,}"


@dataclass
class Cleaned:
    rows: pd.DataFrame  # one row per kept line, columns below
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # values left out
    kept: list[tuple[int, str]] = field(default_factory=list)  # values kept as typed, flagged


def _columns(table: Table, mapping: dict[str, str], target: str) -> list[pd.Series]:
    """Every column mapped to `target` (tags and consents may have several)."""
    return [
        pd.Series(table.columns[header], dtype="object")
        for header, chosen in mapping.items()
        if chosen == target
    ]


def _column(table: Table, mapping: dict[str, str], target: str) -> pd.Series:
    """The first column mapped to `target`, or an empty one."""
    found = _columns(table, mapping, target)
    return found[0] if found else pd.Series([""] * table.row_count, dtype="object")


def _dates(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(ISO date or "", birth year or "", bad) from dd/mm/yyyy, yyyy-mm-dd, dd-mm-yyyy or dd.mm.yyyy.

    `00/00/1953` is how the electoral list writes an unknown day: the year is kept alone.
    """
    text = raw.str.replace(r"[.\-]", "/", regex=True)
    parts = text.str.extract(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
    iso = text.str.extract(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
    # An American column (Outlook's 3/12/1991) shows a second part above 12 somewhere.
    month_first = bool((pd.to_numeric(parts[1], errors="coerce") > 12).any()) and not bool(
        (pd.to_numeric(parts[0], errors="coerce") > 12).any()
    )
    day = (parts[1] if month_first else parts[0]).fillna(iso[2])
    month = (parts[0] if month_first else parts[1]).fillna(iso[1])
    year = parts[2].fillna(iso[0])
    stamp = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month, "day": day}).apply(
            pd.to_numeric, errors="coerce"
        ),
        errors="coerce",
    )
    ok = stamp.notna() & (stamp.dt.year >= 1880) & (stamp <= pd.Timestamp.now())
    year_only = ~ok & year.notna() & ((day == "00") | (month == "00"))
    out = pd.Series("", index=raw.index, dtype="object")
    out[ok] = stamp[ok].dt.strftime("%Y-%m-%d")
    years = pd.Series("", index=raw.index, dtype="object")
    years[year_only] = year[year_only]
    bad = (raw != "") & ~ok & ~year_only
    return out, years, bad


def clean(
    table: Table,
    mapping: dict[str, str],
    *,
    extra_tags: Sequence[str] = (),
    scope: list[tuple[str, str]] | None = None,
    place_unaddressed: bool = False,
) -> Cleaned:
    """Clean every row. With `scope` (an organizer's territories as (kind, code) pairs),
    rows whose address is outside them are rejected: the organizer could not see them.
    Rows with no address at all are kept when `place_unaddressed` (the merge gives their
    new contacts the organizer's territory); an address without any code cannot be placed."""
    col = lambda target: _column(table, mapping, target)  # noqa: E731
    lines = pd.Series(table.lines, dtype="int64")
    warnings: list[tuple[int, str]] = []
    kept: list[tuple[int, str]] = []

    def warn(mask: pd.Series, message: str, *, into: list[tuple[int, str]] = warnings) -> None:
        into.extend((int(line), message) for line in lines[mask])

    first = col("first_name").str.strip()
    usual = col("last_name").str.strip()
    birth_name = col("birth_name").str.strip()
    last = usual.where(usual != "", birth_name)

    def emails(target: str) -> pd.Series:
        if target not in mapping.values():
            return pd.Series([""] * len(lines), dtype="object")
        email = col(target).str.strip().str.lower()
        email_ok = email.str.fullmatch(_EMAIL).fillna(False).astype(bool)
        warn((email != "") & ~email_ok, _("email address not valid, left out"))
        return email.where(email_ok, "")

    email = emails("email")
    email_2 = emails("email_2")
    email_2 = email_2.where(email_2 != email, "")

    combined = split_combined_addresses(col("street").str.strip())
    country_text = col("country").str.strip()
    country_text = country_text.where(country_text != "", combined["country"])
    country, bad_country = countries(country_text)
    warn(bad_country, _("country not understood (an ISO code or a name expected), left out"))
    regions = country.where(country.isin(list(_PHONE_REGIONS)), "")
    phone_1, phone_2, phone_3 = (
        phone_read_many(col(target), regions) for target in ("phone", "phone_2", "phone_3")
    )
    for phones in (phone_1, phone_2, phone_3):
        warn(
            (phones.raw != "") & (phones.e164 == ""),
            _("phone number not readable, kept as typed"),
            into=kept,
        )

    street = combined["street"]
    composed = (col("street_number").str.strip() + " " + col("street_name").str.strip()).str.strip()
    street = street.where(street != "", composed)
    for line in ("street_2", "street_3"):  # address lines 2 and 3 follow on the one line
        more = col(line).str.strip()
        street = (street + ", " + more).where(more != "", street).str.strip(", ")

    source_at, bad_stamp = timestamps(col("source_at"))
    warn(bad_stamp, _("date added not understood, the import's date used"))
    postal = col("postal_code").str.replace(r"\s", "", regex=True)
    postal = postal.where(postal != "", combined["postal_code"])
    french = country.isin(["", "FR"])
    postal = postal.where(
        ~(french & postal.str.fullmatch(r"\d{4}")), "0" + postal
    )  # Excel ate the 0: 1000 → 01000 (a Belgian 1000 stays)
    insee = col("insee_code").str.strip().str.upper()
    insee = insee.where(~insee.str.fullmatch(r"\d{4}"), "0" + insee)
    bureau = col("bureau_code").str.strip()
    bureau = bureau.where(
        (bureau == "") | (insee == "") | bureau.str.contains("-"), insee + "-" + bureau
    )
    commune = col("commune").str.strip()
    commune = commune.where(commune != "", combined["commune"])
    birth_text = col("birth_date").str.strip()
    birth_text = birth_text.where(~birth_text.str.fullmatch(r"0?0/0?0/0{2,4}"), "")  # Outlook
    # A day and month without the year: Mailchimp's 04/12, Google's --03-12.
    birthday = birth_text.where(birth_text.str.fullmatch(r"(?:--)?\d{1,2}[/\-]\d{1,2}"), "")
    birth_date, birth_year, bad_date = _dates(birth_text)
    warn(bad_date & (birthday == ""), _("birth date not understood, left out"))

    custom = {}
    for header, target in mapping.items():
        if target.startswith(CUSTOM_PREFIX):
            custom[target[len(CUSTOM_PREFIX) :].strip()] = pd.Series(
                table.columns[header], dtype="object"
            )
    order = col("bureau_order").str.strip()
    if (order != "").any():
        custom["numero_ordre_bureau"] = order
    if (birth_year != "").any():
        custom["annee_naissance"] = birth_year
    if (birthday != "").any():  # a day and month without the year (Mailchimp's Birthday)
        custom["anniversaire"] = birthday
    differing_birth_name = (birth_name != "") & (birth_name != last)
    if differing_birth_name.any():
        custom["nom_de_naissance"] = birth_name.where(differing_birth_name, "")
    custom_json = _custom_json(custom, len(lines))

    consents, withdrawals = _consents(
        lambda target: _columns(table, mapping, target), warn, mapping, len(lines)
    )

    tag_cells = _columns(table, mapping, "tags")
    joined = tag_cells[0] if tag_cells else col("tags")
    for more in tag_cells[1:]:
        joined = joined + "," + more
    tags = tag_lists(joined, tuple(extra_tags))

    first_key = search_key_many(first)
    last_key = search_key_many(last)
    street_key = search_key_many(street)
    identity = pd.Series("", index=lines.index, dtype="object")
    has_identity = (last_key != "") & (first_key != "") & ((street_key != "") | (postal != ""))
    when = birth_date.where(birth_date != "", birth_year)
    # The same key as normalize.identity_key, built column-wise.
    identity[has_identity] = (
        last_key + "|" + first_key + "|" + when + "|" + postal + "|" + street_key
    ).str.slice(0, 400)[has_identity]

    identifiable = (
        (email != "")
        | (email_2 != "")
        | (phone_1.e164 != "")
        | (phone_2.e164 != "")
        | (phone_3.e164 != "")
        | has_identity
    )
    rejected = [
        (
            int(line),
            _("no email, no readable phone, and no name with an address: cannot be matched"),
        )
        for line in lines[~identifiable]
    ]
    if scope is not None:
        codes = {kind: {code for k, code in scope if k == kind} for kind, _c in scope}
        inside = (
            insee.isin(codes.get("commune", set()))
            | postal.isin(codes.get("postal_code", set()))
            | bureau.isin(codes.get("bureau", set()))
        )
        uncoded = (insee == "") & (postal == "") & (bureau == "")
        unaddressed = uncoded & (street == "") & (commune == "")
        placed = unaddressed if place_unaddressed else pd.Series(False, index=lines.index)
        outside = identifiable & ~inside & ~uncoded
        unplaceable = identifiable & uncoded & ~placed
        rejected += [(int(line), _("address outside your territories")) for line in lines[outside]]
        rejected += [
            (
                int(line),
                _(
                    "no postal code, INSEE code or polling station: "
                    "cannot be placed in your territories"
                ),
            )
            for line in lines[unplaceable]
        ]
        identifiable &= inside | placed
        rejected.sort()
    rows = pd.DataFrame(
        {
            "line": lines,
            "first_name": first.str.slice(0, 150),
            "last_name": last.str.slice(0, 150),
            "first_name_key": first_key.str.slice(0, 150),
            "last_name_key": last_key.str.slice(0, 150),
            "birth_date": birth_date,
            "email": email.str.slice(0, 254),
            "email2": email_2.str.slice(0, 254),
            "phone_raw": phone_1.raw.str.slice(0, 64),
            "phone_e164": phone_1.e164,
            "phone_kind": phone_1.kind,
            "phone2_raw": phone_2.raw.str.slice(0, 64),
            "phone2_e164": phone_2.e164,
            "phone2_kind": phone_2.kind,
            "phone3_raw": phone_3.raw.str.slice(0, 64),
            "phone3_e164": phone_3.e164,
            "phone3_kind": phone_3.kind,
            "country": country,
            "source_at": source_at.map(
                lambda at: "" if pd.isna(at) else db_datetime(at.to_pydatetime())
            ).astype("object"),
            "street": street.str.slice(0, 255),
            "postal_code": postal.str.slice(0, 10),
            "commune": commune.str.slice(0, 150),
            "insee_code": insee.str.slice(0, 5),
            "bureau_code": bureau.str.slice(0, 20),
            "bureau_label": col("bureau_label").str.strip().str.slice(0, 200),
            "custom_fields": custom_json,
            "tags": tags.map(json.dumps),
            "identity": identity,
            "consents": consents,
            "withdrawals": withdrawals,
        }
    )
    rows["commune_key"] = search_key_many(rows["commune"])
    rows = rows[identifiable.to_numpy()].reset_index(drop=True)
    return Cleaned(rows=rows, rejected=rejected, warnings=warnings, kept=kept)


def _consents(columns, warn, mapping: dict[str, str], n: int) -> tuple[pd.Series, pd.Series]:
    """The channels each row agreed to and those it withdrew from, comma-separated
    ("sms,email"), from yes / no or subscription-status columns and opt-out columns; a
    value that says neither is reported and records nothing. A withdrawal wins."""
    agreed = pd.Series([""] * n, dtype="object")
    withdrew = pd.Series([""] * n, dtype="object")
    targets = set(mapping.values())
    for channel in Channel.values:
        granted = pd.Series(False, index=agreed.index)
        withdrawn = pd.Series(False, index=agreed.index)
        for target in (CONSENT_PREFIX + channel, OPTOUT_PREFIX + channel, OPTOUT_ALL):
            if target not in targets:
                continue
            yes, no, unclear = answers_any(columns(target), optout=target.startswith(OPTOUT_PREFIX))
            if target != OPTOUT_ALL or channel == Channel.values[0]:  # said once a line
                warn(
                    unclear,
                    _("consent answer not understood (yes or no expected), nothing recorded"),
                )
            granted |= yes
            withdrawn |= no
        agreed = agreed + np.where(granted & ~withdrawn, channel + ",", "")
        withdrew = withdrew + np.where(withdrawn, channel + ",", "")
    return agreed.str.rstrip(","), withdrew.str.rstrip(",")


def answers_any(
    columns: list[pd.Series], *, optout: bool
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """answers() over several columns of one target: a yes in any, a withdrawal in any."""
    granted, withdrawn, unclear = answers(columns[0], optout=optout)
    for column in columns[1:]:
        yes, no, odd = answers(column, optout=optout)
        granted, withdrawn, unclear = granted | yes, withdrawn | no, unclear | odd
    return granted, withdrawn, unclear


def _custom_json(custom: dict[str, pd.Series], n: int) -> pd.Series:
    if not custom:
        return pd.Series(["{}"] * n, dtype="object")
    frame = pd.DataFrame({name: values.str.strip() for name, values in custom.items()})
    records = frame.replace("", np.nan).to_dict("records")
    return pd.Series(
        [
            json.dumps({k: v for k, v in r.items() if isinstance(v, str)}, ensure_ascii=False)
            for r in records
        ],
        dtype="object",
    )


def group_people(rows: pd.DataFrame) -> np.ndarray:
    """For each row, the index of the first row of the same person in the file.

    Rows are the same person when they share an email, a phone or an identity
    (name, birth date and address), directly or through another row: union-find.
    """
    parent = np.arange(len(rows))

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    # An email or a phone is the same key in any of its columns.
    for columns in (
        ("email", "email2"),
        ("phone_e164", "phone2_e164", "phone3_e164"),
        ("identity",),
    ):
        seen: dict[str, int] = {}
        for column in columns:
            for index, key in enumerate(rows[column].to_numpy()):
                if not key:
                    continue
                other = seen.setdefault(key, index)
                if other != index:
                    a, b = find(index), find(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
    return np.fromiter((find(i) for i in range(len(rows))), dtype=np.int64, count=len(rows))
