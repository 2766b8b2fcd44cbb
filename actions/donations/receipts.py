"""Receipts as PDF (reçus), drawn with reportlab: French, whatever the staff's language,
like the CNCCFP's receipt they are copied onto.

What a receipt must say, and who numbers the one that gives the tax reduction, depend on who
received the gift:
- a candidate's financial agent (Code électoral R39-1, since 1 January 2018) records the
  amount, the day and the way it was paid, the donor's identity, nationality and tax
  address; the receipt is one numbered by the CNCCFP (a printed form, or its online
  service), signed by the donor and handed over by the agent;
- a party's agent (décret n° 90-606 du 9 juillet 1990) gives every donor and member, whatever
  the amount, a receipt detached from a numbered form the CNCCFP prints, or has the CNCCFP
  print it from the agent's files (Fin'Pol).
Terrain's PDF is therefore the agent's record of one gift with every mention the official
receipt needs, numbered in Terrain's own sequence (`receipt_sequence_year`), and says so:
the agent copies it onto the CNCCFP's receipt, whose number it leaves a place for.
"""

import functools
import unicodedata
from dataclasses import dataclass
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

from .models import Donation, Entity, Receipt

# The law each kind of entity takes gifts under, as the receipt's title says it.
LAW: dict[str, str] = {
    Entity.Kind.CANDIDATE: "Don à un candidat (code électoral, articles L52-8 et R39-1)",
    Entity.Kind.PARTY: (
        "Don ou cotisation à un parti ou groupement politique "
        "(loi n° 88-227 du 11 mars 1988, article 11-4)"
    ),
}
AGENT: dict[str, str] = {
    Entity.Kind.CANDIDATE: "par son mandataire financier",
    Entity.Kind.PARTY: "par le mandataire du parti",
}
# Code général des impôts, article 200 (1 and 3): 66 % of the gift, within 20 % of the
# taxable income; gifts and fees to parties also within 15,000 € a year per tax household.
TAX: dict[str, str] = {
    Entity.Kind.CANDIDATE: (
        "Réduction d'impôt sur le revenu : 66 % du montant, dans la limite de 20 % du "
        "revenu imposable (code général des impôts, article 200), pour un don justifié au "
        "compte de campagne du candidat. La CNCCFP peut mettre en cause le reçu si elle "
        "relève une irrégularité dans ce compte (code électoral, article R39-1)."
    ),
    Entity.Kind.PARTY: (
        "Réduction d'impôt sur le revenu : 66 % du montant, dans la limite de 20 % du "
        "revenu imposable ; les dons et cotisations à des partis politiques sont retenus "
        "dans la limite de 15 000 € par an et par foyer fiscal (code général des impôts, "
        "article 200, 3)."
    ),
}
# Article 200, 3 names the ways of paying that give the reduction: cash is not one.
TAX_CASH = (
    "Un versement en espèces n'ouvre pas droit à la réduction d'impôt : seuls les dons et "
    "cotisations payés par chèque, virement, prélèvement ou carte bancaire y ouvrent droit "
    "(code général des impôts, article 200, 3)."
)
OFFICIAL: dict[str, str] = {
    Entity.Kind.CANDIDATE: (
        "Ce document n'est pas le reçu fiscal. Le reçu qui ouvre droit à la réduction "
        "d'impôt est un reçu numéroté par la CNCCFP (formule imprimée ou téléservice de la "
        "commission) : le mandataire financier y reporte ces mentions, le fait signer par "
        "le donateur et le lui remet (code électoral, article R39-1)."
    ),
    Entity.Kind.PARTY: (
        "Ce document n'est pas le reçu fiscal. Le reçu qui ouvre droit à la réduction "
        "d'impôt est détaché d'une formule numérotée éditée par la CNCCFP, ou édité par la "
        "commission sur la plateforme Fin'Pol à partir des fichiers du mandataire : le "
        "mandataire du parti le remet au donateur ou cotisant (décret n° 90-606 du "
        "9 juillet 1990)."
    ),
}
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


def receipt_sequence_year(*, donation: Donation) -> int:
    """The year naming the sequence a gift's receipt is numbered in. A party keeps yearly
    accounts and lists its donors to the CNCCFP each year: one sequence per calendar year.
    A candidate keeps one campaign account over a financing period that often spans two
    years (L52-4): one sequence per campaign, named by the year of its first receipt, else
    of the election's first round, else of the gift."""
    if donation.entity.kind == Entity.Kind.PARTY:
        return donation.received_on.year
    first = (
        Receipt.objects.filter(entity_id=donation.entity_id)
        .order_by("pk")
        .values_list("year", flat=True)
        .first()
    )
    if first is not None:
        return first
    election_day = donation.entity.election_day
    return election_day.year if election_day else donation.received_on.year


@dataclass(frozen=True)
class Line:
    text: str
    size: float = 11
    bold: bool = False
    gap: float = 0.65  # cm to the next line
    before: float = 0  # cm of blank before it


def receipt_lines(receipt: Receipt) -> list[Line]:
    """What a receipt says, line by line: the mentions the CNCCFP's receipt asks for (the
    amount kept, the day and way it was paid, the donor's identity, declaration and tax
    address), the tax statement for its kind and payment, and what the document is not."""
    donation = receipt.donation
    entity = receipt.entity
    kind = entity.kind if entity.kind in LAW else Entity.Kind.CANDIDATE
    gift = "Cotisation" if donation.kind == "membership" else "Don"
    amount = money_format(receipt.amount_cents, language="fr")  # the receipt is French
    name, street, town = receipt_donor_lines(donation)
    beneficiary = entity.name + (f" ({entity.election})" if entity.election else "")
    lines = [
        Line(LAW[kind], size=13, bold=True, gap=0.8),
        Line(f"Pièce n° {receipt.reference} (numérotation de Terrain)", bold=True),
        Line(f"Bénéficiaire : {beneficiary}, {AGENT[kind]}", before=0.3),
        Line(name, bold=True, before=0.3),
        Line(f"Adresse du domicile fiscal : {', '.join(p for p in (street, town) if p)}"),
    ]
    if donation.natural_person and donation.french_or_resident:
        lines.append(
            Line(
                "Le donateur a déclaré donner en personne physique, être de nationalité "
                "française ou résider en France."
            )
        )
    lines.append(Line(f"{gift} de {amount}", bold=True, before=0.3))
    if donation.amount_cents > receipt.amount_cents:
        paid = money_format(donation.amount_cents, language="fr")
        back = money_format(donation.amount_cents - receipt.amount_cents, language="fr")
        lines.append(
            Line(
                f"Versement de {paid}, dont {back} au-delà du plafond légal, à rembourser au "
                f"donateur : ce reçu porte sur les {amount} gardés."
            )
        )
    lines += [
        Line(f"Date du versement : {donation.received_on:%d/%m/%Y}"),
        Line(f"Mode de règlement : {METHODS.get(donation.method, donation.method)}"),
        Line(TAX_CASH if donation.method == "cash" else TAX[kind], size=10, gap=0.5, before=0.3),
        Line(OFFICIAL[kind], size=10, gap=0.5, before=0.3),
        Line("N° du reçu CNCCFP : ____________________", before=0.4),
        Line(f"Établi le {timezone.localtime(receipt.issued_at):%d/%m/%Y}", size=10, before=0.3),
    ]
    return lines


def receipt_pdf(receipt: Receipt) -> bytes:
    receipt_fonts()
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

    def line(text: str, *, size: float = 11, bold: bool = False, gap: float = 0.65) -> None:
        nonlocal y
        for chunk in _wrap(text, size=size, width=width - 4.4 * cm):
            draw(2.2 * cm, y, chunk, size=size, bold=bold)
            y -= gap * cm

    for each in receipt_lines(receipt):
        y -= each.before * cm
        line(each.text, size=each.size, bold=each.bold, gap=each.gap)
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


def _wrap(text: str, *, size: float, width: float) -> list[str]:
    """`text` cut into lines no wider than `width` points at `size` (measured in Noto Sans)."""
    lines, current = [], ""
    for word in text.split():
        longer = f"{current} {word}".strip()
        if current and pdfmetrics.stringWidth(longer, SANS, size) > width:
            lines.append(current)
            current = word
        else:
            current = longer
    return lines + ([current] if current else [""])
