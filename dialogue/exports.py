"""Background reports of dialogue (core.reports), registered from DialogueConfig.ready():
the comments of a public consultation and the organiser's answers, section by section
(PDF through WeasyPrint, XLSX through core.exports)."""

from django.utils.translation import gettext, gettext_lazy

from core import reports
from dialogue import selectors

CONSULTATION_REPORT = "dialogue.consultation_comments"
# A PDF is laid out whole in memory (core.exports.write_pdf), and a comment holds up to 3,000
# characters: past this many comments the report is offered as XLSX only (written as a stream).
PDF_MAX_COMMENTS = 1000


def _consultation(params: dict):
    raw = params.get("consultation")
    raw = raw[0] if isinstance(raw, list) else raw
    if not raw or not str(raw).isdigit() or len(str(raw)) > 11:
        return None
    return selectors.consultation_detail(int(raw))


def _refusal(params: dict, fmt: str) -> str:
    """A PDF of more than PDF_MAX_COMMENTS comments is refused with the way out (XLSX)."""
    if fmt != "pdf":
        return ""
    consultation = _consultation(params)
    if consultation is None:
        return ""
    count = selectors.consultation_report_comments(consultation).count()
    if count <= PDF_MAX_COMMENTS:
        return ""
    return gettext(
        "This consultation has %(count)s comments, more than a PDF report holds (%(max)s). "
        "Download the XLSX report instead."
    ) % {"count": count, "max": PDF_MAX_COMMENTS}


def consultation_comment_rows(params: dict, user=None):
    """One row a comment, in the document's order; none for an unknown consultation."""
    consultation = _consultation(params)
    if consultation is None:
        return 0, iter(())
    comments = selectors.consultation_report_comments(consultation)
    return comments.count(), (
        _row(consultation, number, c) for number, c in enumerate(comments.iterator(), 1)
    )


def _row(consultation, number: int, comment) -> list:
    section = comment.section
    return [
        consultation.title,
        f"{section.position}. {section.heading}",
        number,
        comment.author.full_name or gettext("A member of the portal"),
        comment.created_at,
        comment.body,
        comment.support_count,
        comment.get_verdict_display() if comment.verdict else gettext("Not answered yet"),
        comment.reason,
        comment.answered_at,
    ]


reports.register(
    kind=CONSULTATION_REPORT,
    title=gettext_lazy("Public consultation: comments and answers"),
    columns=[
        gettext_lazy("consultation"),
        gettext_lazy("section"),
        gettext_lazy("no."),
        gettext_lazy("author"),
        gettext_lazy("sent"),
        gettext_lazy("comment"),
        gettext_lazy("supports"),
        gettext_lazy("answer"),
        gettext_lazy("reason"),
        gettext_lazy("answered"),
    ],
    rows=consultation_comment_rows,
    formats=("pdf", "xlsx"),
    permission="dialogue.manage_consultations",
    params=("consultation",),
    refusal=_refusal,
)
