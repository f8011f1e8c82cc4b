"""Bad and unusual PDFs: a clear error or warning naming the file and page, never a traceback."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from docbrief.errors import ExtractError
from extractors import extract_document, parse_whitepaper_pdf
from flows.cli import app
from tests.conftest import FIXED_TIME, ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "whitepaper-2014-bookmarks.pdf"
BODY = ("The Japan-U.S. Alliance remains the cornerstone of Japan's security and of peace in the region, "
        "and both governments continue to strengthen it in many fields.")


def make_pdf(pages: list[list[tuple[str, float, str, float]]], *, image_pages: set[int] = frozenset(),
             encrypt: str | None = None) -> bytes:
    """Pages of (font, size, text, y) lines, a running header on each; image-only pages by index."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, encrypt=encrypt)
    for index, lines in enumerate(pages):
        if index in image_pages:
            picture = Image.new("RGB", (200, 100), "gray")
            canvas.drawImage(ImageReader(picture), 100, 400, width=300, height=150)
        else:
            canvas.setFont("Helvetica", 8)
            canvas.drawString(56, 805, "DEFENSE OF JAPAN 2014")
            canvas.drawCentredString(297, 30, str(index + 10))
            for font, size, text, y in lines:
                canvas.setFont(font, size)
                canvas.drawString(56, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def extract(data: bytes, **kwargs):
    return parse_whitepaper_pdf(data, source_url="bad.pdf", fetched_at=FIXED_TIME, **kwargs)


def test_encrypted_pdf():
    with pytest.raises(ExtractError, match=r"^bad.pdf: the PDF is encrypted"):
        extract(make_pdf([[("Helvetica", 10, BODY, 700)]], encrypt="secret"))


def test_truncated_pdf():
    data = FIXTURE.read_bytes()
    with pytest.raises(ExtractError, match=r"^bad.pdf.*(corrupt or truncated|cannot read the page)"):
        extract(data[: len(data) // 3])


def test_zero_pages():
    empty = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
             b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
             b"trailer << /Root 1 0 R >>\n%%EOF\n")
    with pytest.raises(ExtractError, match="bad.pdf: the PDF has no pages"):
        extract(empty, edition=2014)


def test_image_only_page_is_a_warning_naming_the_page():
    data = make_pdf([[("Helvetica", 10, BODY[:80], 700)], [], [("Helvetica", 10, BODY[80:], 700)]],
                    image_pages={1})
    document = extract(data)
    assert document.warnings[0] == "bad.pdf (page 2): no text layer (a scanned image?); the page is skipped"
    assert [b.page for b in document.blocks] == [1]


def test_scanned_document_is_an_error():
    with pytest.raises(ExtractError, match="bad.pdf: no page has a text layer"):
        extract(make_pdf([[], []], image_pages={0, 1}), edition=2014)


def test_heading_near_the_page_edge_once_is_kept_and_running_lines_go():
    data = make_pdf([
        [("Helvetica-Bold", 14, "Section 1 Japan-U.S. Security Arrangements", 760),
         ("Helvetica", 10, BODY[:90], 730), ("Helvetica", 10, BODY[90:], 716)],
        [("Helvetica", 10, BODY[:90], 760), ("Helvetica-Bold", 12, "1 Significance of the Arrangements", 70)],
        [("Helvetica", 10, BODY, 760)],
    ])
    document = extract(data)
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == ["Section 1 Japan-U.S. Security Arrangements", "1 Significance of the Arrangements"]
    text = " ".join(b.text for b in document.blocks)
    assert "DEFENSE OF JAPAN" not in text and "10" not in text.split()
    assert [b.page_label for b in document.blocks if b.kind == "heading"] == ["10", "11"]


def test_html_error_page_for_a_pdf_source_is_refused():
    with pytest.raises(ExtractError, match="declared a PDF, but the bytes are not a PDF"):
        extract_document(b"<html><body>Service temporarily unavailable</body></html>", source_url="doj.pdf",
                         fetched_at=FIXED_TIME, content_type="application/pdf")


def test_cli_reports_a_bad_pdf_in_one_line(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(FIXTURE.read_bytes()[:4000])
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    assert f"Error: {path}" in result.output and "Traceback" not in result.output
