"""Dates read as the reader's language writes them: "3 déc." this year and "14 sept. 2025"
otherwise in French, "Dec 3" and "Sep 14, 2025" in English; no template spells a format."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

ROOT = Path(__file__).resolve().parents[2]
THIS_YEAR = timezone.localdate().year


def shown(expression: str, value, language: str) -> str:
    with translation.override(language):
        return Template("{% load dates %}{{ value|" + expression + " }}").render(
            Context({"value": value})
        )


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [
        (date(THIS_YEAR, 12, 3), "fr", "3 déc."),
        (date(THIS_YEAR, 1, 8), "fr", "8 janv."),
        (date(THIS_YEAR - 1, 9, 14), "fr", f"14 sept. {THIS_YEAR - 1}"),
        (date(THIS_YEAR - 1, 2, 1), "fr", f"1 févr. {THIS_YEAR - 1}"),
        (date(THIS_YEAR, 12, 3), "en", "Dec 3"),
        (date(THIS_YEAR - 1, 9, 14), "en", f"Sep 14, {THIS_YEAR - 1}"),
    ],
)
def test_a_day_is_short_with_the_year_only_when_it_is_not_this_year(value, language, text):
    assert shown("day", value, language) == text


def test_a_moment_reads_its_day_and_time_in_the_local_time_zone():
    moment = datetime(THIS_YEAR, 12, 3, 13, 2, tzinfo=ZoneInfo("UTC"))  # 14:02 in Paris
    assert shown("day_time", moment, "fr") == "3 déc. à 14:02"
    assert shown("day_time", moment, "en") == "Dec 3, 2:02 p.m."


def test_nothing_shows_nothing():
    assert shown("day", None, "fr") == ""
    assert shown("day_time", None, "fr") == ""


NAMED = {
    "c",  # ISO 8601, for machines (<time datetime>)
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
}


def test_no_template_spells_out_a_date_format():
    spelled = [
        f"{path.relative_to(ROOT)}: {found}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for found in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text())
        if found not in NAMED
    ]
    assert spelled == []
