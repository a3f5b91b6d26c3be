"""The feedback report of one organization in a run (考核结果反馈): its scores with the
evidence summaries, the problems found (scores below the threshold, each proposed as a
rectification item) and its rectification items with their stages; as a page, Excel and .docx."""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .conf import assess_settings
from .models import AssessmentRun, ItemKind, RectificationItem, Score, SecretaryReport

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"


@dataclass
class Feedback:
    run: AssessmentRun
    organization: object
    scores: list  # Score, in the items' order
    total: Decimal | None
    problems: list  # Score below the threshold with no rectification item yet
    items: list  # RectificationItem
    report: SecretaryReport | None
    threshold: Decimal = field(default=Decimal(60))


def summary(score: Score) -> str:
    """One line on what a score rests on: the assessor's note, or the records counted."""
    if score.item.kind == ItemKind.MANUAL:
        grade = score.get_grade_display() if score.grade else ""
        return " ".join(part for part in (grade, score.note) if part)
    if not score.evidence:
        return ""
    shown = "; ".join(entry[2] for entry in score.evidence[:3])
    more = len(score.evidence) - 3
    return shown + (_(" (and %(n)d more)") % {"n": more} if more > 0 else "")


def feedback(run: AssessmentRun, organization, user) -> Feedback:
    from .services import table

    threshold = Decimal(str(assess_settings()["problem_below"]))
    scores = list(
        Score.objects.filter(run=run, organization=organization)
        .select_related("item", "entered_by")
        .order_by("item__order", "item")
    )
    _tops, _leaves, rows = table(run, user)
    total = next((row.total for row in rows if row.organization.pk == organization.pk), None)
    items = list(
        RectificationItem.objects.filter(run=run, organization=organization).select_related(
            "owner", "score"
        )
    )
    raised = {item.score_id for item in items}
    problems = [
        score
        for score in scores
        if score.value is not None and score.value < threshold and score.pk not in raised
    ]
    report = SecretaryReport.objects.filter(run=run, organization=organization).first()
    return Feedback(run, organization, scores, total, problems, items, report, threshold)


def rows_for_excel(data: Feedback) -> tuple[list, list]:
    headers = [_("Item"), _("Score"), _("Evidence"), _("Rectification")]
    stages = {}
    for item in data.items:
        if item.score_id:
            stages.setdefault(item.score_id, []).append(item.get_loop_stage_display())
    rows = [
        [
            str(score.item.label),
            score.value,
            summary(score),
            "、".join(stages.get(score.pk, [])),
        ]
        for score in data.scores
    ]
    rows.append([_("Weighted total"), data.total, "", ""])
    for item in data.items:
        rows.append(
            [
                _("Rectification item"),
                None,
                f"{item.problem} · {item.deadline:%Y-%m-%d}",
                item.get_loop_stage_display(),
            ]
        )
    return headers, rows


def _font(run, name: str, size: float | None = None, bold: bool = False) -> None:
    """Latin and East Asian font both, or Word shows Chinese in its fallback font."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold


def _cell(cell, text, bold=False) -> None:
    cell.text = ""
    _font(cell.paragraphs[0].add_run("" if text is None else str(text)), BODY_FONT, 10.5, bold)


def feedback_docx(data: Feedback) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(
        title.add_run(
            _("Assessment feedback: %(organization)s") % {"organization": data.organization.name}
        ),
        TITLE_FONT,
        16,
        True,
    )
    period = f"{data.run.system.name} · {data.run.period_start:%Y-%m-%d} – {data.run.period_end:%Y-%m-%d}"
    _font(document.add_paragraph().add_run(period), BODY_FONT, 12)
    _font(
        document.add_paragraph().add_run(
            f"{_('Weighted total')}: {'—' if data.total is None else data.total}"
        ),
        BODY_FONT,
        12,
        True,
    )
    headers, rows = rows_for_excel(data)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, header, bold=True)
    for line in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, line, strict=True):
            _cell(cell, "—" if value is None else value)
    if data.report:
        _font(document.add_paragraph().add_run(_("Secretary's annual report")), TITLE_FONT, 12)
        for line in data.report.text.splitlines():
            _font(document.add_paragraph().add_run(line), BODY_FONT, 12)
    if data.problems:
        _font(document.add_paragraph().add_run(_("Problems found")), TITLE_FONT, 12)
        for score in data.problems:
            _font(
                document.add_paragraph().add_run(f"{score.item.label}: {score.value}"),
                BODY_FONT,
                12,
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
