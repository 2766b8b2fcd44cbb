"""Receipts draw any donor's name: Noto Sans, embedded, for Latin with every accent, Greek
and Cyrillic; the PDF standard's Asian fonts for Chinese, Japanese and Korean. Helvetica,
which drew boxes for Ł, ễ or 漢, is gone."""

from datetime import date

import pytest

from actions.donations import services
from actions.donations.receipts import (
    CJK_HAN,
    CJK_HANGUL,
    SANS,
    font_runs,
    receipt_fonts,
    receipt_pdf,
)
from contacts import services as contact_services
from contacts.models import Source


@pytest.mark.parametrize("char", ["Ł", "ễ", "ő", "Ж", "Ω", "é", "€", "’"])
def test_the_embedded_font_has_the_glyph(char):
    assert ord(char) in receipt_fonts()


def test_a_latin_name_with_any_accent_is_drawn_in_noto_sans():
    assert font_runs("Łucja Nguyễn-Ødegård") == [(SANS, "Łucja Nguyễn-Ødegård")]


def test_chinese_and_korean_characters_go_to_the_asian_fonts():
    assert font_runs("王漢 김민") == [(CJK_HAN, "王漢"), (SANS, " "), (CJK_HANGUL, "김민")]


@pytest.mark.django_db
def test_a_receipt_for_a_name_in_any_script_carries_the_fonts_that_draw_it(entity):
    donor = contact_services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name="Łucja 漢",
        last_name="Nguyễn 김",
        street="3 rue Terme",
        postal_code="69001",
        commune="Lyon",
    )
    donation = services.donation_record(
        entity=entity,
        contact=donor,
        amount_cents=3500,
        method="cheque",
        received_on=date(2026, 6, 1),
        natural_person=True,
        french_or_resident=True,
        online=False,
    ).donation

    pdf = receipt_pdf(donation.receipt)

    assert b"+NotoSans" in pdf  # the subset of Noto Sans, embedded
    assert b"/FontFile2" in pdf
    assert f"/{CJK_HAN}".encode() in pdf and f"/{CJK_HANGUL}".encode() in pdf
