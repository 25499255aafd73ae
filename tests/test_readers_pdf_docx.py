"""PDF and DOCX readers on documents the tests generate: paragraphs rebuilt from the
layout, running headers and page numbers left out, and one error line for PDFs that
cannot be read (encrypted, image-only, corrupt)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from helpers import query_db as query

from docstore.article import Article
from docstore.readers import ReaderError, read_bytes
from docstore.store import Store

PARAGRAPHS = [
    f"Paragraph {i}. The president of Belarus met the visiting delegation in Minsk on "
    "Monday to discuss trade, energy supplies and the reopening of border crossings "
    "closed since the spring. Officials said that talks would continue in Vilnius."
    for i in range(14)
]


def make_pdf(title: str | None = "Talks in Minsk on trade", header: bool = True) -> bytes:
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_author("A. Reporter")

    def page_header() -> None:
        if header:
            pdf.set_font("Helvetica", size=8)
            pdf.cell(0, 8, "Example News - Daily Briefing", align="C")
            pdf.ln(10)

    def page_footer() -> None:
        pdf.set_y(-15)
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 10, f"Page {pdf.page_no()}", align="C")

    pdf.header = page_header  # type: ignore[method-assign]
    pdf.footer = page_footer  # type: ignore[method-assign]
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 10, "Talks in Minsk on trade", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 8, "Energy and transit", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for text in PARAGRAPHS:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def read_one(data: bytes, name: str) -> Article | ReaderError:
    [item] = list(read_bytes(data, name))
    return item


def test_pdf_paragraphs_title_and_no_running_lines() -> None:
    data = make_pdf()
    article = read_one(data, "briefing.pdf")
    assert isinstance(article, Article), article
    assert article.title == "Talks in Minsk on trade"
    assert article.author == "A. Reporter"
    assert [b.kind for b in article.blocks[:2]] == ["heading", "paragraph"]
    assert article.blocks[0].text == "Energy and transit"
    # Every paragraph comes back whole, once, in order, even the one split by a page break.
    assert [b.text for b in article.blocks[1:]] == PARAGRAPHS
    texts = " ".join(b.text for b in article.blocks)
    assert "Daily Briefing" not in texts and "Page " not in texts


def test_pdf_without_metadata_title_takes_the_first_line() -> None:
    article = read_one(make_pdf(title=None), "noname")  # no extension: found by its bytes
    assert isinstance(article, Article), article
    assert article.title == "Talks in Minsk on trade"
    assert article.blocks[0].text == "Energy and transit"


def test_encrypted_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    error = read_one(out.getvalue(), "locked.pdf")
    assert isinstance(error, ReaderError)
    assert str(error) == "locked.pdf: the PDF is encrypted (a password is needed to read it)"


def test_image_only_pdf() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text
    error = read_one(bytes(pdf.output()), "scan.pdf")
    assert isinstance(error, ReaderError)
    assert "scan.pdf: the PDF has no text layer" in str(error)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n garbage", make_pdf()[:2000], b"not a pdf at all"])
def test_corrupt_pdf(data: bytes) -> None:
    error = read_one(data, "broken.pdf")
    assert isinstance(error, ReaderError)
    assert str(error).startswith("broken.pdf: ") and "\n" not in str(error)


def make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.author = "A. Reporter"
    document.add_paragraph("Talks in Minsk on trade", style="Title")
    document.add_paragraph("Energy and transit", style="Heading 1")
    document.add_paragraph(PARAGRAPHS[0])
    document.add_paragraph("Gas prices for next year", style="List Bullet")
    document.add_paragraph("Officials said the talks were useful.", style="Quote")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_blocks_follow_styles() -> None:
    article = read_one(make_docx(), "talks.docx")
    assert isinstance(article, Article), article
    assert article.title == "Talks in Minsk on trade" and article.author == "A. Reporter"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("heading", "Energy and transit"),
        ("paragraph", PARAGRAPHS[0]),
        ("list_item", "Gas prices for next year"),
        ("quote", "Officials said the talks were useful."),
    ]
    broken = read_one(make_docx()[:500], "broken.docx")
    assert isinstance(broken, ReaderError) and str(broken).startswith("broken.docx: ")


def test_pdf_and_docx_ingest(tmp_path: Path, db_url: str) -> None:
    (tmp_path / "briefing.pdf").write_bytes(make_pdf())
    (tmp_path / "talks.docx").write_bytes(make_docx())
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    with Store(db_url) as store:
        report = store.ingest([tmp_path])
    assert (report.added, report.failed) == (2, 1), report.errors
    assert "scan.pdf" in report.errors[0]
    rows = query(
        db_url,
        "SELECT count(*) FROM passages p JOIN documents d ON d.id = p.document_id "
        "WHERE d.source LIKE '%briefing.pdf' AND p.kind = 'paragraph'",
    )
    assert rows == [(len(PARAGRAPHS),)]
    minsk = query(db_url, "SELECT count(*) FROM mentions WHERE text = 'Minsk'")
    assert minsk[0][0] >= len(PARAGRAPHS)
