"""Public pages of calls: the list (open, upcoming, closed), one call (eligibility, deadline
with a countdown, two-stage information, rubric, documents), its documents, and the whole
application form as a document to draft with a team (PDF, DOCX or a printable page).

A call that is not published is a 404 for everyone but KCSF staff (who see it with a banner).
"""

import io
import mimetypes
import re
import zipfile
from datetime import timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.exports import html_to_pdf
from core.money import format_money
from core.page_cache import anonymous_cache
from core.permissions import permission, public
from grants import signals
from grants.choices import ApplicantType, BudgetCategory, QuestionKind, Stage
from grants.filters import CLOSED, OPEN, PHASES, UPCOMING, CallFilter
from grants.models import Application, BudgetLine, Call, CallDocument, PlannedActivity
from grants.services.applications import ATTACHMENT_TYPES
from organizations.models import Membership

CALLS_PAGE_SIZE = 20
QUESTION_FORMATS = ("pdf", "docx", "html")
PHASE_COLOURS = {OPEN: "success", UPCOMING: "info", CLOSED: "secondary"}
PHASE_LABELS = dict(PHASES)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _may_manage(user) -> bool:
    return user.has_perm("grants.manage_call")


def _call_loader(queryset):
    def load(request, slug, **kwargs) -> Call:
        return get_object_or_404(queryset, slug=slug)

    return load


# Whole pages for visitors (core.page_cache): calls, their documents, criteria and names.
CALL_TOPICS = signals.page_topics()


def call_page(queryset=None):
    """Declare `grants.view_call` (published, or KCSF staff) on the call of the URL; an
    unpublished call is a 404 to everyone else, signed in or not."""
    load = _call_loader(queryset if queryset is not None else Call.objects.all())
    return permission("grants.view_call", load=load, pass_as="call", login=False, refuse=404)


def remaining_text(delta: timedelta) -> str:
    """ "3 days, 4 hours, 12 minutes" (the countdown as the server renders it)."""
    seconds = max(int(delta.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if days or hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if days < 2:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return ", ".join(parts)


def _phase_counts(now) -> dict[str, int]:
    counts = Call.objects.published().aggregate(
        open=Count("pk", filter=Q(opens_at__lte=now, closes_at__gt=now)),
        upcoming=Count("pk", filter=Q(opens_at__gt=now)),
        closed=Count("pk", filter=Q(closes_at__lte=now)),
        next_opening=Min("opens_at", filter=Q(opens_at__gt=now)),
        next_closing=Min("closes_at", filter=Q(closes_at__gt=now)),
    )
    return counts


# --- the list -------------------------------------------------------------------------------


@public
@anonymous_cache(topics=CALL_TOPICS, query=(*CallFilter.base_filters, "page"), search=("q",))
@require_safe
def call_list(request):
    filterset = CallFilter(request.GET)
    valid = filterset.is_valid()
    page_obj = None
    if valid:
        page_obj = Paginator(filterset.qs, CALLS_PAGE_SIZE).get_page(request.GET.get("page"))
    phase = filterset.phase_value if valid else OPEN
    tabs = []
    now = timezone.now()
    counts = _phase_counts(now)
    for value, label in PHASES:
        params = request.GET.copy()
        params.pop("page", None)
        params["phase"] = value
        tabs.append({"value": value, "label": label, "count": counts[value], "query": params.urlencode()})
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page_obj": page_obj,
        "calls": page_obj.object_list if page_obj else [],
        "phase": phase,
        "phase_label": PHASE_LABELS[phase],
        "tabs": tabs,
        "filtered": any(request.GET.get(name) for name in ("q", "applicant_type", "municipality", "sector")),
        "phase_colours": PHASE_COLOURS,
    }
    response = render(request, "grants/call_list.html", context, status=200 if valid else 400)
    response.page_cache_timeout = _seconds_to(now, counts["next_opening"], counts["next_closing"])
    return response


# --- one call -------------------------------------------------------------------------------


def _by_stage(items, call: Call) -> list[dict]:
    stages = [Stage.CONCEPT, Stage.FULL] if call.two_stage else [Stage.FULL]
    grouped = []
    for stage in stages:
        rows = [item for item in items if item.stage == stage]
        if rows:
            grouped.append({"stage": stage, "label": Stage(stage).label, "items": rows})
    return grouped


def _rubric(criteria, call: Call) -> list[dict]:
    grouped = _by_stage(criteria, call)
    for group in grouped:
        total = sum(c.weight for c in group["items"]) or 1
        for criterion in group["items"]:
            criterion.share = round(criterion.weight * 100 / total)
    return grouped


def _my_applications(user, call: Call) -> list[Application]:
    if not user.is_authenticated:
        return []
    my_orgs = Membership.objects.filter(user=user).values("organization_id")
    return list(
        Application.objects.filter(call=call)
        .filter(Q(applicant=user) | Q(organization_id__in=my_orgs))
        .select_related("organization", "applicant")
        .order_by("-created_at")
    )


# Above the permission: a visitor's copy was built after the same check for a visitor, whose
# answer (the call is published) depends only on the call, which touches the topics.
@anonymous_cache(topics=CALL_TOPICS)
@call_page(
    Call.objects.prefetch_related(
        "municipalities", "sectors", "documents", "criteria", "attachment_requirements"
    )
)
@require_safe
def call_detail(request, slug, call):
    now = timezone.now()
    phase = call.phase
    countdown_to = call.closes_at if phase == OPEN else call.opens_at if phase == UPCOMING else None
    full_proposal_open = (
        call.two_stage and call.full_proposal_closes_at is not None and call.full_proposal_closes_at > now
    )
    requirements = list(call.attachment_requirements.all())
    type_labels = dict(ApplicantType.choices)
    for requirement in requirements:
        requirement.for_types = [type_labels[t] for t in requirement.applicant_types if t in type_labels]
    language = (get_language() or "sq").lower()
    documents = sorted(call.documents.all(), key=lambda d: (d.language not in ("", language), d.order, d.pk))
    language_names = dict(settings.LANGUAGES)
    for document in documents:
        document.language_name = language_names.get(document.language, "")
    context = {
        "call": call,
        "phase": phase,
        "phase_label": PHASE_LABELS[phase],
        "phase_colour": PHASE_COLOURS[phase],
        "who_may_apply": [type_labels[t] for t in call.applicant_types],
        "municipalities": list(call.municipalities.all()),
        "sectors": list(call.sectors.all()),
        "countdown_to": countdown_to,
        "remaining": remaining_text(countdown_to - now) if countdown_to else "",
        "full_proposal_open": full_proposal_open,
        "requirements": _by_stage(requirements, call),
        "rubric": _rubric(list(call.criteria.all()), call),
        "documents": documents,
        "my_applications": _my_applications(request.user, call),
        "can_manage": _may_manage(request.user),
        "question_formats": QUESTION_FORMATS,
    }
    response = render(request, "grants/call_detail.html", context)
    if countdown_to is not None:  # a visitor's copy (core.page_cache) counts down with the clock
        response.page_cache_timeout = COUNTDOWN_SECONDS
    return response


COUNTDOWN_SECONDS = 60


def _seconds_to(now, *moments) -> int | None:
    """Seconds until the first of `moments` still ahead (None when none is): how long a
    visitor's copy of a page that shows phases may be kept (core.page_cache)."""
    ahead = [(m - now).total_seconds() for m in moments if m is not None and m > now]
    return max(1, int(min(ahead))) if ahead else None


@call_page()
@require_safe
def call_document(request, slug, pk, call):
    document = get_object_or_404(CallDocument, pk=pk, call=call)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    extension = document.file.name.rsplit(".", 1)[-1].lower() if "." in document.file.name else "bin"
    filename = f"{slugify(document.title) or 'document'}.{extension}"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
    )


# --- the questions as a document ------------------------------------------------------------


def _plain(number) -> str:
    """1, 2.5, 500 (never 5E+2)."""
    return format(number.normalize(), "f")


def _field_label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def questions_context(call: Call) -> dict:
    """Everything the application form of `call` asks, per stage, in the active language."""
    questions = list(call.questions.all())
    requirements = list(call.attachment_requirements.all())
    type_labels = dict(ApplicantType.choices)
    stages = []
    for stage in [Stage.CONCEPT, Stage.FULL] if call.two_stage else [Stage.FULL]:
        items = []
        for question in (q for q in questions if q.stage == stage):
            facts = [str(QuestionKind(question.kind).label)]
            facts.append(gettext("required") if question.required else gettext("optional"))
            if question.kind == QuestionKind.LONG_TEXT and question.word_limit:
                facts.append(gettext("at most %(n)s words") % {"n": question.word_limit})
            if question.kind == QuestionKind.NUMBER:
                if question.min_value is not None:
                    facts.append(gettext("minimum %(value)s") % {"value": _plain(question.min_value)})
                if question.max_value is not None:
                    facts.append(gettext("maximum %(value)s") % {"value": _plain(question.max_value)})
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                facts.append(gettext("choose one or more"))
            elif question.kind == QuestionKind.SINGLE_CHOICE:
                facts.append(gettext("choose one"))
            items.append(
                {
                    "label": question.label,
                    "help": question.help_text,
                    "facts": ", ".join(facts),
                    "options": [label for _value, label in question.options] if question.is_choice else [],
                    "kind": question.kind,
                }
            )
        attachments = [
            {
                "label": r.label,
                "required": r.required,
                "for_types": ", ".join(str(type_labels[t]) for t in r.applicant_types if t in type_labels),
            }
            for r in requirements
            if r.stage == stage
        ]
        stages.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "deadline": call.deadline_for(stage),
                "questions": items,
                "attachments": attachments,
                "timeline": stage == Stage.FULL,
                "dates_required": stage == Stage.FULL,
            }
        )
    budget_columns = [
        _field_label(BudgetLine, "category"),
        _field_label(BudgetLine, "item"),
        _field_label(BudgetLine, "quantity"),
        _field_label(BudgetLine, "unit_cost"),
        gettext("Amount (EUR) = quantity × unit cost"),
        _field_label(BudgetLine, "cofinancing"),
        gettext("Requested (EUR) = amount − co-financing"),
    ]
    timeline_columns = [
        _field_label(PlannedActivity, "title"),
        _field_label(PlannedActivity, "starts_on"),
        _field_label(PlannedActivity, "ends_on"),
        _field_label(PlannedActivity, "description"),
    ]
    return {
        "call": call,
        "stages": stages,
        "who_may_apply": [str(type_labels[t]) for t in call.applicant_types],
        "allows_groups": call.allow_groups,
        "budget_columns": budget_columns,
        "budget_categories": [str(label) for label in BudgetCategory.labels],
        "timeline_columns": timeline_columns,
        "file_types": ", ".join(t.upper() for t in ATTACHMENT_TYPES),
        "file_limit": filesizeformat(settings.GRANTS_ATTACHMENT_MAX_BYTES),
        "generated": timezone.localtime(),
    }


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _x(text) -> str:
    return escape(_CONTROL.sub("", str(text)))


def _run(text, *, bold=False, italic=False, size=None) -> str:
    props = ""
    if bold or italic or size:
        props = "<w:rPr>{}{}{}</w:rPr>".format(
            "<w:b/>" if bold else "",
            "<w:i/>" if italic else "",
            f'<w:sz w:val="{size}"/>' if size else "",
        )
    lines = str(text).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{_x(line)}</w:t>' for line in lines)
    return f"<w:r>{props}{body}</w:r>"


def _para(text="", **kwargs) -> str:
    return f"<w:p>{_run(text, **kwargs) if text else ''}</w:p>"


def _table(columns, empty_rows=3) -> str:
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="999999"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    header = "".join(f"<w:tc><w:p>{_run(c, bold=True, size=18)}</w:p></w:tc>" for c in columns)
    empty = "".join("<w:tc><w:p/></w:tc>" for _c in columns)
    rows = f"<w:tr>{header}</w:tr>" + f"<w:tr>{empty}</w:tr>" * empty_rows
    width = 9638 // max(len(columns), 1)  # A4 less the margins, in twentieths of a point
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _c in columns)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{border}</w:tblBorders></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
    )


def questions_docx(context: dict) -> bytes:
    """A minimal, valid Word document (Office Open XML) of the application form."""
    call = context["call"]
    body = [
        _para(call.title, bold=True, size=36),
        _para(gettext("The questions of the application form, to draft your answers with your team.")),
        _para(gettext("Apply on the portal: only what is sent there counts."), italic=True),
        _para(gettext("Who may apply") + ": " + ", ".join(context["who_may_apply"])),
        _para(
            gettext("Amount per grant: %(min)s – %(max)s")
            % {"min": format_money(call.min_amount), "max": format_money(call.max_amount)}
        ),
    ]
    if call.cofinancing_percent:
        body.append(
            _para(
                gettext("Co-financing required: %(percent)s%%")
                % {"percent": _plain(call.cofinancing_percent)}
            )
        )
    for stage in context["stages"]:
        body.append(_para(str(stage["label"]), bold=True, size=30))
        if stage["deadline"]:
            deadline = formats.date_format(timezone.localtime(stage["deadline"]), "DATETIME_FORMAT")
            body.append(_para(gettext("Deadline: %(date)s") % {"date": deadline}))
        body.append(_para(gettext("The project"), bold=True, size=26))
        body.append(_para(gettext("Project title")))
        body.append(_para(gettext("Project summary (at most 2,000 characters)")))
        body.append(_para(gettext("Where the project takes place (municipality)")))
        if stage["dates_required"]:
            body.append(_para(gettext("Start and end dates of the project")))
        if context["allows_groups"]:
            body.append(
                _para(
                    gettext(
                        "Informal groups: the name of the group and at least two members (name, role, email)"
                    )
                )
            )
        if stage["questions"]:
            body.append(_para(gettext("Questions"), bold=True, size=26))
        for number, question in enumerate(stage["questions"], start=1):
            body.append(_para(f"{number}. {question['label']}", bold=True))
            body.append(_para(question["facts"], italic=True, size=18))
            if question["help"]:
                body.append(_para(question["help"], size=18))
            for option in question["options"]:
                body.append(_para(f"☐ {option}"))
            body.append(_para())
        body.append(_para(gettext("Budget"), bold=True, size=26))
        body.append(_para(gettext("Categories") + ": " + ", ".join(context["budget_categories"]), size=18))
        body.append(_table(context["budget_columns"]))
        if stage["timeline"]:
            body.append(_para(gettext("Work plan"), bold=True, size=26))
            body.append(_table(context["timeline_columns"]))
        if stage["attachments"]:
            body.append(_para(gettext("Attachments"), bold=True, size=26))
            for attachment in stage["attachments"]:
                text = f"{attachment['label']} ({gettext('required') if attachment['required'] else gettext('optional')})"
                if attachment["for_types"]:
                    text += f" — {attachment['for_types']}"
                body.append(_para(f"• {text}"))
            body.append(
                _para(
                    gettext("Files: %(types)s, at most %(limit)s each.")
                    % {"types": context["file_types"], "limit": context["file_limit"]},
                    size=18,
                )
            )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{''.join(body)}"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/>'
        "</w:sectPr></w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/>'
        "</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


@call_page(Call.objects.prefetch_related("questions", "attachment_requirements"))
@require_safe
def call_questions(request, slug, call):
    """The whole application form of a call: ?format=pdf (default), docx or html."""
    fmt = request.GET.get("format", "pdf") or "pdf"
    if fmt not in QUESTION_FORMATS:
        return render(
            request,
            "grants/call_bad_request.html",
            {
                "call": call,
                "reason": _("This format is not available. Choose PDF, Word (DOCX) or a printable page."),
                "question_formats": QUESTION_FORMATS,
            },
            status=400,
        )
    context = questions_context(call)
    language = (get_language() or "sq").lower()
    filename = f"{call.slug}-{slugify(gettext('questions')) or 'questions'}-{language}"
    if fmt == "html":
        return render(request, "grants/call_questions.html", context)
    if fmt == "docx":
        response = HttpResponse(questions_docx(context), content_type=DOCX_CONTENT_TYPE)
    else:
        html = render_to_string("grants/pdf/call_questions.html", context, request=request)
        out = io.BytesIO()
        html_to_pdf(out, html)
        response = HttpResponse(out.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
