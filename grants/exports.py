"""Background exports of grants (registered with `core.reports`).

"grants.applications" (params: call, and the staff list's filters): one row per sent
application of a call, with the applicant, the project, the status and figures, the
decision, then one column per question of the call (the answers as shown, from the
latest revision), the budget as text, and each criterion's average score. Staff only.

The question and criterion columns depend on the call: `columns(params, user)` gives them.
"""

from decimal import Decimal

from django.db.models import Avg, JSONField, OuterRef, Subquery
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import reports
from grants import selectors
from grants.choices import AssignmentStatus, BudgetCategory
from grants.models import Call, Revision, Score

KIND = "grants.applications"
PARAMS = ("call", "status", "eligibility", "applicant_type", "municipality", "q")

BASE_COLUMNS = [
    gettext_lazy("reference"),
    gettext_lazy("call"),
    gettext_lazy("applying as"),
    gettext_lazy("applicant"),
    gettext_lazy("organisation"),
    gettext_lazy("municipality"),
    gettext_lazy("project title"),
    gettext_lazy("project summary"),
    gettext_lazy("status"),
    gettext_lazy("eligibility"),
    gettext_lazy("requested (EUR)"),
    gettext_lazy("co-financing (EUR)"),
    gettext_lazy("total cost (EUR)"),
    gettext_lazy("average weighted score"),
    gettext_lazy("reviews done"),
    gettext_lazy("reviews assigned"),
    gettext_lazy("decision (reason or conditions)"),
    gettext_lazy("approved amount (EUR)"),
]


def _call(params: dict, user) -> Call | None:
    slug = params.get("call")
    slug = slug if isinstance(slug, str) else (slug or [""])[0]
    call = Call.objects.filter(slug=slug).first() if slug else None
    if call is None or user is None or not user.has_perm("grants.manage_call", call):
        return None
    return call


def columns(params: dict, user=None) -> list:
    """The base columns, one per question of the call, the budget, one per criterion."""
    call = _call(params, user)
    if call is None:
        return list(BASE_COLUMNS)
    return [
        *BASE_COLUMNS,
        *[f"{q.get_stage_display()}: {q.label}" if call.two_stage else q.label for q in call.questions.all()],
        gettext_lazy("budget"),
        *[
            _("average score: %(criterion)s (0–%(max)s)")
            % {
                "criterion": f"{c.get_stage_display()}: {c.title}" if call.two_stage else c.title,
                "max": c.max_score,
            }
            for c in call.criteria.all()
        ],
    ]


def _filters(params: dict) -> dict:
    from grants.forms.staff import ApplicationFilterForm

    query = QueryDict(mutable=True)
    for name in PARAMS[1:]:
        value = params.get(name)
        if value:
            query[name] = value if isinstance(value, str) else value[0]
    form = ApplicationFilterForm(query)
    return form.cleaned_data if form.is_valid() else {"status": "__none__"}


def _budget_text(lines) -> str:
    labels = dict(BudgetCategory.choices)
    return "; ".join(
        _(
            "%(category)s: %(item)s — %(quantity)s × %(unit_cost)s = %(amount)s EUR (requested %(requested)s,"
            " co-financing %(cofinancing)s)"
        )
        % {
            "category": labels.get(line.get("category"), line.get("category", "")),
            "item": line.get("item", ""),
            "quantity": line.get("quantity", ""),
            "unit_cost": line.get("unit_cost", ""),
            "amount": line.get("amount", ""),
            "requested": line.get("requested", ""),
            "cofinancing": line.get("cofinancing", ""),
        }
        for line in lines or []
    )


def application_rows(params: dict, user=None):
    """(total, rows) of the export, in the order of `columns(params, user)`."""
    call = _call(params, user)
    if call is None:
        return 0, iter(())
    questions = list(call.questions.all())
    criteria = list(call.criteria.all())
    latest = Revision.objects.filter(application=OuterRef("pk")).order_by("-number").values("snapshot")[:1]
    qs = (
        selectors.staff_application_list(call, _filters(params))
        .select_related("grant")
        .annotate(latest_snapshot=Subquery(latest, output_field=JSONField()))
        .order_by("reference", "pk")
    )
    total = qs.count()
    # Each criterion's average over the submitted reviews, for the whole call in one query.
    averages = {
        (r["assignment__application"], r["criterion"]): r["average"]
        for r in Score.objects.filter(
            assignment__application__call=call, assignment__status=AssignmentStatus.SUBMITTED
        )
        .values("assignment__application", "criterion")
        .annotate(average=Avg("score"))
        .order_by()
    }
    call_title = call.title

    def row(application) -> list:
        data = application.latest_snapshot if isinstance(application.latest_snapshot, dict) else {}
        answers = {a.get("key"): a for a in data.get("answers", []) if isinstance(a, dict)}
        grant = getattr(application, "grant", None)
        return [
            application.reference or "",
            call_title,
            application.get_applicant_type_display(),
            application.applicant_name,
            application.organization.name if application.organization_id else "",
            application.municipality.name if application.municipality_id else "",
            application.title,
            application.summary,
            application.get_status_display(),
            application.get_eligibility_display(),
            application.requested_amount,
            application.cofinancing_amount,
            application.total_cost,
            application.average_score,
            application.reviews_done,
            application.reviews_assigned,
            application.decision_note,
            grant.amount if grant else None,
            *[_answer_text(q, answers.get(q.key)) for q in questions],
            _budget_text(data.get("budget")),
            *[_average(averages.get((application.pk, c.pk))) for c in criteria],
        ]

    return total, (row(a) for a in qs.iterator(chunk_size=500))


def _answer_text(question, answer) -> str:
    """The answer as shown; choices in the export's language (the snapshot holds the
    labels of the language it was sent in)."""
    if not answer:
        return ""
    if question.is_choice:
        value = answer.get("value")
        chosen = value if isinstance(value, list) else [value] if value else []
        labels = dict(question.options)
        return ", ".join(labels.get(str(v), str(v)) for v in chosen)
    return str(answer.get("display") or "")


def _average(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


reports.register(
    kind=KIND,
    title=gettext_lazy("Grant applications of a call"),
    columns=columns,
    rows=application_rows,
    formats=("csv", "xlsx"),
    permission="grants.manage_call",
    params=PARAMS,
)
