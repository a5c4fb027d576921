"""The paper version of a survey, to print for a coffee morning or a class: every question
numbered, with boxes to tick and space to write, as a web page to print and as a PDF.

Answers given on paper come back in through the data-entry form or the CSV import, so the
paper says which survey and version it is, and which questions are only for some people.
Every copy says where to hand it back and by when (the officer sets both for each survey);
the children's face scale is printed with its faces, as it looks online.
"""

import io
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.feedback.pdf import font_family, printable
from app.models import Survey
from app.respond.faces import FACES, face_svg
from app.surveys.catalogue import translate
from app.surveys.schema import Question, SurveyDefinition
from app.time import date_in_words

HOW_TO_ANSWER = (
    "Tick one box for each question, unless it says you can tick more than one. "
    "You can skip any question. Do not write your name: nobody will know which answers "
    "are yours."
)
# Room to write: a line for about every 200 characters the question allows, within reason.
CHARACTERS_PER_LINE = 200
MIN_LINES, MAX_LINES = 3, 8
# Not set yet: a line to write on, so a copy printed anyway can be filled in by hand.
BLANK = "." * 30
# The largest face on paper, in mm; the others keep their sizes relative to it.
FACE_MM = 13
LARGEST_FACE = max(face.size for face in FACES.values())


def hand_back(survey: Survey) -> str:
    """Where and by when the paper version goes back, as printed on every copy."""
    where = survey.paper_return_to or BLANK
    when = date_in_words(survey.paper_return_by) if survey.paper_return_by else BLANK
    return f"When you have finished, please hand this back to {where} by {when}."


def hand_back_is_set(survey: Survey) -> bool:
    return bool(survey.paper_return_to and survey.paper_return_by)


@dataclass(frozen=True)
class PaperOption:
    label: str
    # One of app.respond.faces.FACES on a children's face scale, else None.
    face: str | None


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    question: Question
    text: str
    hint: str | None
    instruction: str
    only_if: str | None
    options: list[PaperOption]
    lines: int


def paper_questions(definition: SurveyDefinition) -> list[PaperQuestion]:
    """Every question of the survey as it is printed, numbered from 1."""
    questions = definition.questions()
    numbers = {question.id: n for n, question in enumerate(questions, start=1)}
    return [
        PaperQuestion(
            number=numbers[question.id],
            question=question,
            text=translate(question.text),
            hint=translate(question.hint) if question.hint else None,
            instruction=_instruction(question),
            only_if=_only_if(definition, question, numbers),
            options=[
                PaperOption(translate(option.label), option.face)
                for option in question.options or ()
            ],
            lines=min(MAX_LINES, max(MIN_LINES, (question.max_length or 0) // CHARACTERS_PER_LINE)),
        )
        for question in questions
    ]


def _instruction(question: Question) -> str:
    if question.type == "free_text":
        return "Write your answer in the box."
    if question.type == "multiple_choice":
        return "Tick all that apply."
    return "Tick one box."


def _only_if(
    definition: SurveyDefinition, question: Question, numbers: dict[str, int]
) -> str | None:
    if question.show_if is None:
        return None
    earlier = definition.question(question.show_if.question)
    labels = {option.id: translate(option.label) for option in earlier.options or ()}
    chosen = " or ".join(f"“{labels[option]}”" for option in question.show_if.any_of)
    return f"Only answer this if you answered {chosen} to question {numbers[earlier.id]}."


class _PaperPDF(FPDF):
    footer_text = ""
    family = "helvetica"

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, size=8)
        self.cell(0, 5, f"{self.footer_text}   Page {self.page_no()} of {{nb}}", align="C")


def paper_pdf(
    definition: SurveyDefinition,
    survey_id: str,
    version: int,
    link: str,
    qr_png: bytes,
    hand_back_text: str,
) -> bytes:
    """The paper version as an A4 PDF: the link and QR code to answer online instead,
    where and by when to hand it back, then the questions, none split across two pages,
    and where to hand it back again at the end."""
    pdf = _PaperPDF(format="A4")
    family = font_family(pdf)
    pdf.family = family
    pdf.footer_text = printable(
        f"Survey {survey_id}, version {version}. Office use: typed in on ........",
        family,
    )
    title = translate(definition.title)
    pdf.set_title(printable(title, family))
    pdf.set_lang("en-GB")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    width = pdf.epw

    pdf.image(io.BytesIO(qr_png), x=pdf.l_margin + width - 32, y=pdf.t_margin, w=32)
    pdf.set_font(family, "B", 20)
    pdf.multi_cell(
        width - 38, 9, printable(title, family), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(family, size=11)
    pdf.multi_cell(
        width - 38,
        5.5,
        printable(f"You can answer on paper, or online at {link} (or scan the code).", family),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + 34))
    pdf.set_font(family, size=12)
    for paragraph in (translate(definition.intro), HOW_TO_ANSWER):
        pdf.multi_cell(
            width, 6, printable(paragraph, family), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(2)
    _draw_hand_back(pdf, hand_back_text, family)

    for item in paper_questions(definition):
        _draw_question(pdf, item, family)
    pdf.ln(6)
    _draw_hand_back(pdf, hand_back_text, family)
    return bytes(pdf.output())


def _draw_hand_back(pdf: _PaperPDF, text: str, family: str) -> None:
    if pdf.will_page_break(16):
        pdf.add_page()
    pdf.set_font(family, "B", 12)
    pdf.set_line_width(0.6)
    pdf.multi_cell(
        pdf.epw,
        7,
        printable(text, family),
        border=1,
        padding=2,
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_line_width(0.2)


def _draw_question(pdf: _PaperPDF, item: PaperQuestion, family: str) -> None:
    width = pdf.epw
    notes = [note for note in (item.hint, item.only_if, item.instruction) if note]
    row_height = FACE_MM + 2 if any(option.face for option in item.options) else 7.5
    needed = 14 + 6 * len(notes) + (row_height * len(item.options) or 8 * item.lines)
    if pdf.will_page_break(needed):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(family, "B", 13)
    pdf.multi_cell(
        width,
        6.5,
        printable(f"{item.number}. {item.text}", family),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(family, size=11)
    for note in notes:
        pdf.multi_cell(
            width, 5.5, printable(note, family), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.ln(1)
    pdf.set_font(family, size=12)
    if item.options:
        faces = any(option.face for option in item.options)
        # With faces: the box, the face in a column as wide as the largest, then the words.
        words_x = 9 + (FACE_MM + 4 if faces else 0)
        for option in item.options:
            y = pdf.get_y()
            pdf.rect(pdf.l_margin + 1, y + (row_height - 5) / 2, 5, 5)
            if option.face:
                size = FACE_MM * FACES[option.face].size / LARGEST_FACE
                pdf.image(
                    io.BytesIO(str(face_svg(option.face)).encode()),
                    x=pdf.l_margin + 9 + (FACE_MM - size) / 2,
                    y=y + (row_height - size) / 2,
                    w=size,
                    h=size,
                )
            pdf.set_xy(pdf.l_margin + words_x, y)
            pdf.multi_cell(
                width - words_x,
                row_height,
                printable(option.label, family),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        return
    top, height = pdf.get_y(), 8 * item.lines
    pdf.rect(pdf.l_margin, top, width, height)
    for line in range(1, item.lines):
        y = top + 8 * line
        pdf.line(pdf.l_margin + 3, y, pdf.l_margin + width - 3, y)
    pdf.set_y(top + height)
