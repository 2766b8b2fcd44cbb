"""Reading the values other tools write: countries, dates and times, tag cells, and
subscription statuses. Each reader takes a pandas Series of text and works column-wise."""

import re
from functools import cache
from zoneinfo import ZoneInfo

import pandas as pd
import pycountry
from django.conf import settings

from contacts.normalize import search_key, search_key_many

# What a consent or subscription column says. A "yes" records the consent; a word of
# withdrawal records the withdrawal (an unsubscribe is a "no" the person said); the rest
# (no, empty, pending, a bounce, a cleaned address) says nothing of the person's wish.
GRANTED = {
    "oui", "o", "yes", "y", "1", "x", "vrai", "true", "ok", "d accord", "accord", "accepte",
    "subscribed", "subscriber", "opted in", "opt in", "optin", "opt in confirmed", "confirmed",
    "abonne", "abonnee", "inscrit", "inscrite", "granted",
}  # fmt: skip
WITHDRAWN = {
    "unsubscribed", "unsubscribe", "opted out", "opt out", "optout", "spam complaint",
    "complained", "blacklisted", "blocklisted", "desabonne", "desabonnee", "desinscrit",
    "desinscrite", "retire", "stop", "withdrawn",
}  # fmt: skip
SILENT = {
    "non", "n", "no", "0", "faux", "false", "refus", "refuse", "", "pending", "en attente",
    "cleaned", "bouncing", "bounced", "non subscribed", "not subscribed", "never subscribed",
    "transactional", "transactional only", "unknown", "inconnu", "archived",
}  # fmt: skip
# An opt-out column (Do Not Email, EMAIL_BLACKLISTED): yes is a withdrawal, no says nothing.
OPTOUT_YES = {"oui", "o", "yes", "y", "1", "x", "vrai", "true", "blacklisted", "opted out"}
OPTOUT_NO = {"non", "n", "no", "0", "faux", "false", ""}


def answers(raw: pd.Series, *, optout: bool = False) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(granted, withdrawn, not understood) masks for a consent or opt-out column."""
    answer = search_key_many(raw.fillna("").astype(str).str.strip())
    if optout:
        withdrawn = answer.isin(OPTOUT_YES)
        return pd.Series(False, index=raw.index), withdrawn, ~withdrawn & ~answer.isin(OPTOUT_NO)
    granted = answer.isin(GRANTED)
    withdrawn = answer.isin(WITHDRAWN)
    return granted, withdrawn, ~granted & ~withdrawn & ~answer.isin(SILENT)


_TAG_SEPARATORS = re.compile(r"\s*(?::::|[,;|])\s*")


def tag_lists(raw: pd.Series, extra: tuple[str, ...] = ()) -> pd.Series:
    """Each cell's tags: split on commas, semicolons, "|" and Google's " ::: ", quotes
    around a name dropped ("a","b" as Mailchimp writes), Google's system groups ("* starred",
    "* myContacts") left out; the import's own tags added. Sorted, without repeats."""

    def names(cell: str) -> list[str]:
        found = {name.strip().strip("\"'").strip() for name in _TAG_SEPARATORS.split(cell)}
        found = {name[:100] for name in found if name and not name.startswith("* ")}
        return sorted(found | set(extra))

    return raw.fillna("").astype(str).map(names)


@cache
def _country_names() -> dict[str, str]:
    """{search key of a name or code: alpha-2}, French and English names included."""
    import gettext

    # French first; then the languages of the members and donors campaigns have abroad.
    languages = [
        gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        ).gettext
        for language in ("fr", "de", "es", "it", "pt", "nl", "sv", "pl")
    ]
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in {
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
        }:
            if name:
                names[search_key(name)] = code
                for translated in reversed(languages):  # the French name wins a clash
                    names[search_key(translated(name))] = code
        names[search_key(country.alpha_3)] = code
    for code in ("UK", "GB"):  # how people write the United Kingdom's code
        names[code.lower()] = "GB"
    names.update(
        {search_key(n): "US" for n in ("USA", "United States", "Etats-Unis", "Etats Unis")}
    )
    names.update({search_key(n): code for n, code in _EXTRA_NAMES.items()})
    for country in pycountry.countries:
        names[country.alpha_2.lower()] = country.alpha_2
    return names


_EXTRA_NAMES = {
    "Angleterre": "GB",
    "Royaume-Uni": "GB",
    "Grande-Bretagne": "GB",
    "Russie": "RU",
    "Pays-Bas": "NL",
    "Hollande": "NL",
    "Allemagne": "DE",
    "Belgique": "BE",
    "Suisse": "CH",
    "Russia": "RU",
    "Vietnam": "VN",
    "South Korea": "KR",
    "Coree du Sud": "KR",
    "Syria": "SY",
    "Iran": "IR",
    "Czech Republic": "CZ",
    "Republique tcheque": "CZ",
    "Moldova": "MD",
    "Venezuela": "VE",
    "Bolivia": "BO",
    "Tanzania": "TZ",
    "Laos": "LA",
}


def countries(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(alpha-2 code or "", not understood) from codes (FR, FRA) or names (France, Russie)."""
    text = raw.fillna("").astype(str).str.strip()
    if not (text != "").any():
        return text, pd.Series(False, index=raw.index)
    names = _country_names()
    code = search_key_many(text).map(lambda key: names.get(key, ""))
    return code, (text != "") & (code == "")


_STAMP = re.compile(
    r"^(?P<date>\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4})"
    r"(?:[ T](?P<time>\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+\-]\d{2}:?\d{2})?$"
)


def timestamps(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(aware UTC timestamp or NaT, not understood) for created or subscribed dates.

    Reads ISO 8601 (with or without an offset, "T" or a space), "… UTC", dd/mm/yyyy with an
    optional time, and the US month first when the column shows a second part above 12
    (03/20/2013 3:26 PM). A time without a zone is Paris time (settings.TIME_ZONE)."""
    text = raw.fillna("").astype(str).str.strip()
    filled = text != ""
    if not filled.all():  # read only the cells that hold something (often none)
        utc = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
        bad = pd.Series(False, index=raw.index)
        if filled.any():
            utc[filled], bad[filled] = timestamps(text[filled])
        return utc, bad
    parts = text.str.extract(_STAMP)
    date = parts["date"].fillna("").str.replace(r"[.\-]", "/", regex=True)
    ymd = date.str.extract(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
    dmy = date.str.extract(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
    second = pd.to_numeric(dmy[1], errors="coerce")
    first = pd.to_numeric(dmy[0], errors="coerce")
    month_first = bool((second > 12).any()) and not bool((first > 12).any())
    day = ymd[2].fillna(dmy[1] if month_first else dmy[0])
    month = ymd[1].fillna(dmy[0] if month_first else dmy[1])
    year = ymd[0].fillna(dmy[2])
    clock = (
        parts["time"]
        .fillna("")
        .str.replace("h", ":")
        .str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?")
    )
    hour = pd.to_numeric(clock[0], errors="coerce").fillna(0)
    ampm = parts["ampm"].fillna("").str.lower().str.replace(".", "", regex=False)
    hour = hour.where(~((ampm == "pm") & (hour < 12)), hour + 12)
    hour = hour.where(~((ampm == "am") & (hour == 12)), 0)
    numbers = pd.DataFrame(
        {
            "year": pd.to_numeric(year, errors="coerce"),
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
            "hour": hour,
            "minute": pd.to_numeric(clock[1], errors="coerce").fillna(0),
            "second": pd.to_numeric(clock[2], errors="coerce").fillna(0),
        }
    )
    local = pd.to_datetime(numbers, errors="coerce")
    zone = parts["zone"].fillna("")
    offset = zone.str.extract(r"^([+\-])(\d{2}):?(\d{2})$")
    minutes = (
        pd.to_numeric(offset[1], errors="coerce") * 60 + pd.to_numeric(offset[2], errors="coerce")
    ) * offset[0].map({"+": 1, "-": -1})
    utc = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
    named = zone.isin(["Z", "UTC", "GMT"])
    with_offset = minutes.notna()
    naive = local.notna() & ~named & ~with_offset
    if named.any():
        utc[named] = local[named].dt.tz_localize("UTC")
    if with_offset.any():
        shifted = local[with_offset] - pd.to_timedelta(minutes[with_offset], unit="m")
        utc[with_offset] = shifted.dt.tz_localize("UTC")
    if naive.any():
        utc[naive] = (
            local[naive]
            .dt.tz_localize(ZoneInfo(settings.TIME_ZONE), ambiguous="NaT", nonexistent="NaT")
            .dt.tz_convert("UTC")
        )
    now = pd.Timestamp.now(tz="UTC")
    plausible = utc.notna() & (utc >= pd.Timestamp("1990-01-01", tz="UTC")) & (utc <= now)
    utc = utc.where(plausible)
    return utc, (text != "") & ~plausible


def split_combined_addresses(street: pd.Series) -> pd.DataFrame:
    """Mailchimp writes a whole address in one cell, its six parts separated by two spaces
    (line 1, line 2, city, region, postal code, country code; a missing part left empty).
    Such cells give street, commune, postal_code and country; other cells are left whole
    (those columns empty)."""
    out = pd.DataFrame(
        {"street": street, "commune": "", "postal_code": "", "country": ""}, index=street.index
    )
    candidates = street.str.count("  ") == 5
    for index in street.index[candidates]:
        line_1, line_2, city, _region, postal, country = (
            part.strip() for part in street[index].split("  ")
        )
        if not (line_1 and city) or not re.fullmatch(r"[A-Za-z]{2}|", country):
            continue
        out.loc[index] = [", ".join(p for p in (line_1, line_2) if p), city, postal, country]
    return out
