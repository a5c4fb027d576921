"""A published report as a print-ready PDF (fpdf2: pure Python, nothing to install).

The PDF is drawn from the same content as the web page, through a plain HTML template
that fpdf2's HTML writer understands. A Unicode font is used where the system has one
(Debian's DejaVu); otherwise the built-in Helvetica, which only knows Latin-1, so other
characters are replaced rather than lost silently.
"""

from pathlib import Path
from typing import Any

from flask import render_template
from fpdf import FPDF
from fpdf.fonts import TextStyle

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
UNICODE_FONTS = {
    "": DEJAVU / "DejaVuSans.ttf",
    "B": DEJAVU / "DejaVuSans-Bold.ttf",
    "I": DEJAVU / "DejaVuSans-Oblique.ttf",
    "BI": DEJAVU / "DejaVuSans-BoldOblique.ttf",
}
# Headings in the text's own near-black and bold, as on the web page: fpdf2's default dark
# red reads as a warning on a council's printed report. Items spaced apart; the template
# gives lists a taller line (fpdf2 reads only a list's own line-height for that).
INK = "#0b0c0c"
TAG_STYLES = {
    "h1": TextStyle(font_style="B", color=INK, font_size_pt=22, t_margin=6, b_margin=0.4),
    "h2": TextStyle(font_style="B", color=INK, font_size_pt=17, t_margin=8, b_margin=0.4),
    "h3": TextStyle(font_style="B", color=INK, font_size_pt=13, t_margin=5, b_margin=0.4),
    "li": TextStyle(l_margin=5, t_margin=3),
}
# Typographic punctuation Helvetica lacks, by the nearest Latin-1 characters.
LATIN_1 = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)


def report_as_pdf(content: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(content["title"])
    pdf.set_lang("en-GB")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    family = font_family(pdf)
    pdf.add_page()
    pdf.set_font(family, size=12)
    html = render_template("public/report_print.html", content=content)
    pdf.write_html(
        printable(html, family), font_family=family, tag_styles=TAG_STYLES, li_prefix_color=INK
    )
    return bytes(pdf.output())


def printable(text: str, family: str) -> str:
    """TEXT as the font can print it: Helvetica knows only Latin-1."""
    if family != "helvetica":
        return text
    return text.translate(LATIN_1).encode("latin-1", "replace").decode("latin-1")


def font_family(pdf: FPDF) -> str:
    """Add the Unicode font to PDF if the system has it; the family name to use."""
    if all(path.exists() for path in UNICODE_FONTS.values()):
        for style, path in UNICODE_FONTS.items():
            pdf.add_font("dejavu", style=style, fname=str(path))
        return "dejavu"
    return "helvetica"
