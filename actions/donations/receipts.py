"""Receipts as PDF (reçus), drawn with reportlab: French, whatever the staff's language,
since the tax administration reads them."""

from io import BytesIO

from django.utils import timezone

from .models import Entity, Receipt
from .rules import euros

LAW = {
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


def receipt_pdf(receipt: Receipt) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    donation = receipt.donation
    entity = receipt.entity
    donor = donation.contact
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle(f"Reçu {receipt.reference}")
    width, height = A4
    y = height - 2.5 * cm

    def line(text: str, *, size: int = 11, bold: bool = False, gap: float = 0.65) -> None:
        nonlocal y
        page.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        for chunk in _wrap(text, 95 if size <= 11 else 70):
            page.drawString(2.2 * cm, y, chunk)
            y -= gap * cm

    line(LAW[entity.kind], size=13, bold=True, gap=0.8)
    line(f"Reçu n° {receipt.reference}", bold=True)
    y -= 0.3 * cm
    line(f"Bénéficiaire : {entity.name}" + (f" ({entity.election})" if entity.election else ""))
    y -= 0.3 * cm
    line(f"Donateur : {donor.full_name or '—'}", bold=True)
    line(f"{donor.street}")
    line(f"{donor.postal_code} {donor.commune}")
    y -= 0.3 * cm
    kind = "Cotisation" if donation.kind == "membership" else "Don"
    line(f"{kind} de {euros(receipt.amount_cents)}, versé le {donation.received_on:%d/%m/%Y}")
    line(f"Mode de versement : {METHODS.get(donation.method, donation.method)}")
    y -= 0.3 * cm
    line(TAX, size=10)
    y -= 0.5 * cm
    line(f"Émis le {timezone.localtime(receipt.issued_at):%d/%m/%Y}", size=10)
    if receipt.voided_at:
        page.saveState()
        page.setFont("Helvetica-Bold", 60)
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
