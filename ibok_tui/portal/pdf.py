"""Invoice, contract and letter PDFs with Polish diacritics (DejaVu Sans embedded)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.billing import vat_summary
from ..domain.models import Contract, Customer, Invoice, Property, Utility
from ..i18n import day, money

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
INVOICE_KIND = {
    "settlement": "Faktura VAT",
    "estimated": "Faktura VAT (szacunkowa)",
    "correction": "Faktura korygująca",
    "interest_note": "Nota odsetkowa",
}


def zl(grosze: int) -> str:
    """Money as documents write it, in Polish: 1 234,56 zł (the one formatting module)."""
    return money(grosze, language="pl")


def d(value: date | None) -> str:
    """A date as documents write it, in Polish: 21.11.2026."""
    return day(value, missing="—", language="pl")


def _document(title: str) -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("ibok")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    return pdf


def _header(pdf: FPDF, utility: Utility, title: str, subtitle: str) -> None:
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 5, utility.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    pdf.multi_cell(
        0,
        4.5,
        f"{utility.address.one_line()}\nNIP {utility.nip} · tel. {utility.phone} · {utility.email}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    if subtitle:
        pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def invoice_pdf(utility: Utility, customer: Customer, invoice: Invoice) -> bytes:
    pdf = _document(invoice.number)
    _header(
        pdf,
        utility,
        f"{INVOICE_KIND[invoice.kind.value]} nr {invoice.number}",
        f"Data wystawienia: {d(invoice.issue_date)}   Data sprzedaży: {d(invoice.sale_date)}\n"
        f"Okres rozliczeniowy: {d(invoice.period_from)} – {d(invoice.period_to)}\n"
        + (f"Dotyczy faktury: {invoice.corrects}\n" if invoice.corrects else ""),
    )
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 5, "Nabywca", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    buyer = f"{customer.name}\n{customer.address.one_line()}\nKod nabywcy: {customer.number}"
    if customer.nip:
        buyer += f"\nNIP {customer.nip}"
    pdf.multi_cell(0, 5, buyer, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (62, 22, 14, 22, 22, 12, 18, 22)
    head = ("Pozycja", "Ilość", "J.m.", "Cena netto", "Netto", "VAT", "Kwota VAT", "Brutto")
    pdf.set_font("DejaVu", "B", 8)
    for width, text in zip(widths, head, strict=True):
        pdf.cell(width, 6, text, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", size=8)
    for line in invoice.lines:
        cells = (
            line.description,
            f"{line.quantity}".replace(".", ","),
            line.unit,
            zl(line.unit_price),
            zl(line.net),
            f"{int(line.vat_rate * 100)}%",
            zl(line.vat),
            zl(line.gross),
        )
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 6, text[:40], border=1)
        pdf.ln()
    for rate, net, vat in vat_summary(invoice.lines):  # art. 106e ust. 1 pkt 14: per rate
        pdf.cell(sum(widths[:4]), 6, f"w tym stawka {int(rate * 100)}%", border=1)
        pdf.cell(widths[4], 6, zl(net), border=1)
        pdf.cell(widths[5], 6, f"{int(rate * 100)}%", border=1)
        pdf.cell(widths[6], 6, zl(vat), border=1)
        pdf.cell(widths[7], 6, zl(net + vat), border=1)
        pdf.ln()
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(sum(widths[:4]), 6, "Razem", border=1)
    pdf.cell(widths[4], 6, zl(invoice.net), border=1)
    pdf.cell(widths[5], 6, "", border=1)
    pdf.cell(widths[6], 6, zl(invoice.vat), border=1)
    pdf.cell(widths[7], 6, zl(invoice.gross), border=1)
    pdf.ln(10)
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(
        0,
        5,
        f"Do zapłaty: {zl(invoice.to_pay)}   Termin płatności: {d(invoice.due_date)}\n"
        f"Wpłać na indywidualny rachunek: {customer.bank_account}\n"
        f"Zapłacono: {zl(invoice.paid)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return _output(pdf)


def contract_pdf(
    utility: Utility, customer: Customer, contract: Contract, properties: Sequence[Property]
) -> bytes:
    pdf = _document(contract.number)
    place = next((p for p in properties if p.id == contract.property_id), None)
    _header(
        pdf,
        utility,
        f"{contract.title}",
        f"Nr {contract.number}, zawarta {d(contract.signed_on)}, obowiązuje od "
        f"{d(contract.valid_from)}" + (f" do {d(contract.valid_to)}" if contract.valid_to else ""),
    )
    body = (
        f"Stronami umowy są {utility.name} (Dostawca) oraz {customer.name}, kod nabywcy "
        f"{customer.number} (Odbiorca).\n\n"
        f"§1. Dostawca zobowiązuje się dostarczać wodę i odbierać ścieki z nieruchomości: "
        f"{place.address.one_line() if place else '—'}.\n"
        "§2. Ilość pobranej wody ustala się na podstawie wskazań wodomierza głównego; ilość "
        "ścieków równa się ilości pobranej wody pomniejszonej o wodę bezpowrotnie zużytą, "
        "mierzoną wodomierzem ogrodowym.\n"
        "§3. Rozliczenia prowadzi się według taryfy obowiązującej w dniu sprzedaży.\n"
        "§4. Reklamacje Dostawca rozpatruje w terminie 14 dni od ich otrzymania.\n"
    )
    pdf.multi_cell(0, 5, body, new_x="LMARGIN", new_y="NEXT")
    return _output(pdf)


def letter_pdf(title: str, addressee: str, body: str) -> bytes:
    pdf = _document(title)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(0, 5, f"Adresat: {addressee}\n\n{body}", new_x="LMARGIN", new_y="NEXT")
    return _output(pdf)
