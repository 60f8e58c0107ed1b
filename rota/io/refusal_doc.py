"""Write the case for refusing a flexible-working request as a one-page Word document the
manager can adapt for the consultation meeting (.docx: what HR letters are edited in)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from common.files import write_atomically
from rota.domain.refusal import RefusalCase
from rota.domain.register import spelt

TITLE = "Flexible-working request: notes for the consultation meeting"
NOT_ADVICE = (
    "A draft for the manager to adapt before the meeting. Plain guidance on the process, "
    "not legal advice."
)
MOST_BREAKS = 8  # findings listed; the rest are counted, to keep to one page
GREY = RGBColor(0x59, 0x59, 0x59)
COVER_HEADERS = ("Weekday", "Fewest in now", "With the request", "Spare now", "Spare with it")


def write_refusal(path: str | Path, case: RefusalCase, source: str) -> Path:
    """Write ``case`` to ``path`` (.docx), atomically; ``source`` names the team workbook."""
    document = Document()
    _page(document)
    document.add_heading(TITLE, level=1)
    _line(document, NOT_ADVICE, italic=True, colour=GREY)
    _facts_table(document, case)
    _heading(document, "What the rota shows")
    _line(
        document,
        "The team was planned as it is, and again with the request added. "
        + case.dates_and_moves
        + " The dates on which the day asked for cannot be kept follow under each ground.",
    )
    _cover_table(document, case)
    _grounds(document, case)
    _other_findings(document, case)
    _alternatives(document, case)
    _meeting(document)
    made = f"Prepared with workwell (rota refusal) from {source} on {spelt(dt.date.today())}."
    _line(document, made, size=8, colour=GREY)
    return write_atomically(path, document.save)


def _page(document) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(1.5)
    section.left_margin = section.right_margin = Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(2)
    for level, size in ((1, 15), (2, 11.5)):
        style = document.styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(8 if level == 2 else 0)
        style.paragraph_format.space_after = Pt(3)


def _heading(document, words: str) -> None:
    document.add_heading(words, level=2)


def _line(document, words: str, italic=False, bold=False, size=None, colour=None):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(words)
    run.italic, run.bold = italic, bold
    if size:
        run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = colour
    return paragraph


def _bullet(document, words: str) -> None:
    paragraph = document.add_paragraph(words, style="List Bullet")
    paragraph.paragraph_format.space_after = Pt(0)


def _bullets(document, lines) -> None:
    """The first MOST_BREAKS lines as bullets, then how many more: one page in all."""
    for line in lines[:MOST_BREAKS]:
        _bullet(document, line)
    if len(lines) > MOST_BREAKS:
        _bullet(document, f"and {len(lines) - MOST_BREAKS} more (see workwell rota request)")


def _facts_table(document, case: RefusalCase) -> None:
    rows = [
        ("Employee", f"{case.name} ({case.staff_id})"),
        ("Asked for", case.asked),
        ("Received", spelt(case.received) if case.received else "[date received]"),
        ("Decision due by", _limit_words(case)),
        ("Rota looked at", case.period),
    ]
    table = _table(document, len(rows), [Cm(3.5), Cm(13.5)])
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].paragraphs[0].runs[0].bold = True


def _limit_words(case: RefusalCase) -> str:
    rule = (
        "two months beginning with the day received, including any appeal, unless the "
        "employee agrees to a later date"
    )
    if case.limit is None:
        return f"[date]: {rule}"
    return f"{spelt(case.limit)}: {rule}"


def _cover_table(document, case: RefusalCase) -> None:
    _line(
        document,
        "Fewest staff in on each weekday of the period, and spare over the minimum "
        "(in bold where the request leaves fewer in):",
    )
    table = _table(document, 1 + len(case.cover), [Cm(3.0)] * len(COVER_HEADERS))
    for cell, header in zip(table.rows[0].cells, COVER_HEADERS, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    for row, values in zip(table.rows[1:], case.cover, strict=True):
        for number, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.text = str(value)
            cell.paragraphs[0].runs[0].bold = values[2] < values[1] or values[4] < values[3]
            if number:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document, rows: int, widths: list):
    """A bordered table with fixed column widths (Word and LibreOffice both keep them)."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _grounds(document, case: RefusalCase) -> None:
    grounds = "Business grounds" if len(case.grounds) > 1 else "Business ground"
    _heading(document, f"{grounds} proposed (Employment Rights Act 1996, s80G(1)(b))")
    for ground in case.grounds:
        title = _line(document, ground.ground.title, bold=True)
        title.paragraph_format.space_before = Pt(4)
        _line(document, ground.why)
        _bullets(document, ground.facts)
    if case.note:
        _line(document, f"In my words: {case.note}")


def _other_findings(document, case: RefusalCase) -> None:
    """Findings of the rota under none of the grounds chosen: said, never dropped."""
    listed = {fact for ground in case.grounds for fact in ground.facts}
    others = [finding for finding in case.breaks if finding not in listed]
    if not others:
        return
    _line(document, "The rota also found (under none of the grounds above):")
    _bullets(document, others)


def _alternatives(document, case: RefusalCase) -> None:
    _heading(document, "Alternatives that could be granted")
    if not case.alternatives:
        _line(
            document,
            "No other standing day that was tried fits this rota. Discuss other changes "
            "with the employee (another pattern, different hours, a trial period).",
        )
    for alternative in case.alternatives:
        _bullet(document, alternative)


def _meeting(document) -> None:
    _heading(document, "At the meeting")
    _line(
        document,
        "The request may be refused only after consulting the employee. Note their views "
        "and any other options discussed:",
    )
    for label in ("Employee's points", "Other options discussed", "Outcome and date"):
        _line(document, f"{label}: " + "_" * (80 - len(label)))
