"""Receipts as PDF (reçus), drawn with reportlab: French, whatever the staff's language,
since the tax administration reads them."""

import functools
import unicodedata
from io import BytesIO

import fontpkg_noto_sans
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from campaign.money import money_format

from .models import Entity, Receipt

LAW: dict[str, str] = {
    Entity.Kind.CANDIDATE: "Reçu au titre des dons à un candidat (article L52-8 du code électoral)",
    Entity.Kind.PARTY: (
        "Reçu au titre des dons et cotisations à un parti ou groupement politique "
        "(article 11-4 de la loi n° 88-227 du 11 mars 1988)"
    ),
}
TAX = (
    "Le donateur bénéficie d'une réduction d'impôt sur le revenu égale à 66 % du montant "
    "versé, dans la limite de 20 % du revenu imposable (article 200 du code général des impôts)."
)
METHODS = {
    "card": "carte bancaire",
    "cheque": "chèque",
    "transfer": "virement",
    "direct_debit": "prélèvement",
    "cash": "espèces",
}


# Names come in every script. Noto Sans (from the fontpkg-noto-sans package, embedded in
# each PDF, only the glyphs used) draws Latin with every accent (Ł, ễ), Greek and Cyrillic;
# Helvetica, reportlab's default, has none of them and drew boxes. Chinese, Japanese and
# Korean characters use the PDF standard's Asian fonts, which every reader supplies (Adobe's
# CID fonts, not embedded: a CJK font file is 16 MB and none on PyPI is TrueType).
SANS = "TerrainNotoSans"
CJK_HAN = "STSong-Light"  # Adobe-GB1: Chinese characters, kana
CJK_HANGUL = "HYGothic-Medium"  # Adobe-Korea1: Hangul


@functools.cache
def receipt_fonts() -> frozenset[int]:
    """Register the receipt's fonts once per process; the code points Noto Sans draws."""
    sans = TTFont(SANS, str(fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"))
    pdfmetrics.registerFont(sans)
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_HAN))
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_HANGUL))
    return frozenset(sans.face.charToGlyph)


def _is_hangul(code: int) -> bool:
    return 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def font_runs(text: str) -> list[tuple[str, str]]:
    """`text` cut into runs, each with the font that draws its characters."""
    drawn = receipt_fonts()
    runs: list[tuple[str, str]] = []
    for char in text:
        code = ord(char)
        if code in drawn or char.isspace():
            font = SANS
        elif _is_hangul(code):
            font = CJK_HANGUL
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            font = CJK_HAN
        else:
            font = SANS  # no font here has it: Noto's empty box, at least visibly missing
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def receipt_donor_lines(donation) -> list[str]:
    """The donor block of a receipt: the name and address typed with the gift (a public form
    writes them on the gift, never onto a known contact's record), else the contact's."""
    donor = donation.receipt_donor
    return [
        f"Donateur : {donor['name'] or '—'}",
        donor["street"],
        f"{donor['postal_code']} {donor['commune']}".strip(),
    ]


def receipt_pdf(receipt: Receipt) -> bytes:
    receipt_fonts()
    donation = receipt.donation
    entity = receipt.entity
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle(f"Reçu {receipt.reference}")
    width, height = A4
    y = height - 2.5 * cm

    def draw(x: float, y: float, text: str, *, size: float, bold: bool) -> None:
        page.saveState()
        words = page.beginText(x, y)
        if bold:  # Noto Sans ships one weight here: bold is the outline drawn over the fill
            words.setTextRenderMode(2)
            page.setLineWidth(size * 0.03)
        for font, run in font_runs(text):
            words.setFont(font, size)
            words.textOut(run)
        page.drawText(words)
        page.restoreState()

    def line(text: str, *, size: int = 11, bold: bool = False, gap: float = 0.65) -> None:
        nonlocal y
        for chunk in _wrap(text, 95 if size <= 11 else 70):
            draw(2.2 * cm, y, chunk, size=size, bold=bold)
            y -= gap * cm

    line(LAW[entity.kind], size=13, bold=True, gap=0.8)
    line(f"Reçu n° {receipt.reference}", bold=True)
    y -= 0.3 * cm
    line(f"Bénéficiaire : {entity.name}" + (f" ({entity.election})" if entity.election else ""))
    y -= 0.3 * cm
    name, street, town = receipt_donor_lines(donation)
    line(name, bold=True)
    line(street)
    line(town)
    y -= 0.3 * cm
    kind = "Cotisation" if donation.kind == "membership" else "Don"
    amount = money_format(receipt.amount_cents, language="fr")  # the receipt is French
    line(f"{kind} de {amount}, versé le {donation.received_on:%d/%m/%Y}")
    line(f"Mode de versement : {METHODS.get(donation.method, donation.method)}")
    y -= 0.3 * cm
    line(TAX, size=10)
    y -= 0.5 * cm
    line(f"Émis le {timezone.localtime(receipt.issued_at):%d/%m/%Y}", size=10)
    if receipt.voided_at:
        page.saveState()
        page.setFont(SANS, 60)
        page.setFillColorRGB(0.75, 0.1, 0.1)
        page.translate(width / 2, height / 2)
        page.rotate(30)
        page.drawCentredString(0, 0, "ANNULÉ")
        page.restoreState()
        y = 3 * cm
        line(f"Annulé le {timezone.localtime(receipt.voided_at):%d/%m/%Y} : {receipt.void_reason}")
    page.showPage()
    page.save()
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [""])
