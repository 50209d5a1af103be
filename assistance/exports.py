"""Background exports of the help desk (core.reports), registered from AssistanceConfig.ready().
The list of requests for staff: no description, thread, answer or file, only what the figures
need (confidentiality: the export leaves the portal)."""

from django.db.models import F
from django.utils.translation import gettext, gettext_lazy

from assistance.models import HelpRequest
from core import reports

COLUMNS = [
    gettext_lazy("reference number"),
    gettext_lazy("category"),
    gettext_lazy("urgency"),
    gettext_lazy("status"),
    gettext_lazy("organisation"),
    gettext_lazy("municipality"),
    gettext_lazy("expert"),
    gettext_lazy("partner organisation"),
    gettext_lazy("submitted"),
    gettext_lazy("answer due"),
    gettext_lazy("answered"),
    gettext_lazy("rating"),
    gettext_lazy("the issue was solved"),
]


def request_rows(params: dict, user=None):
    qs = HelpRequest.objects.select_related(
        "organization", "municipality", "expert__user", "expert__organization", "rating"
    ).order_by(F("submitted_at").asc(nulls_last=True), "pk")
    category = params.get("category")
    if isinstance(category, str) and category:
        qs = qs.filter(category=category)
    return qs.count(), (_row(r) for r in qs.iterator(chunk_size=500))


def _row(request) -> list:
    rating = getattr(request, "rating", None)
    return [
        request.reference,
        request.get_category_display(),
        request.get_urgency_display(),
        request.get_status_display(),
        request.organization.name if request.organization else "",
        request.municipality.name if request.municipality else "",
        str(request.expert) if request.expert else "",
        request.expert.organization.name if request.expert else "",
        request.submitted_at,
        request.due_on,
        request.answered_at,
        rating.score if rating else "",
        (gettext("Yes") if rating.solved else gettext("No")) if rating else "",
    ]


reports.register(
    kind="assistance.requests",
    title=gettext_lazy("Requests for help"),
    columns=COLUMNS,
    rows=request_rows,
    formats=("csv", "xlsx"),
    permission="assistance.manage_requests",
    params=("category",),
)
