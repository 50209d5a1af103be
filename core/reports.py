"""The registry of background reports (CSV / XLSX files with progress).

An app describes each report once, in its own `exports.py`, imported from its
`AppConfig.ready()`::

    # grants/exports.py
    from django.utils.translation import gettext_lazy as _
    from core import reports

    def _rows(params, user):
        qs = selectors.applications_for_export(call=params.get("call"), user=user)
        return qs.count(), ([a.reference, a.title, a.get_status_display()] for a in qs.iterator(chunk_size=500))

    reports.register(
        kind="grants.applications",           # unique, "<app>.<name>"
        title=_("Grant applications"),
        columns=[_("reference"), _("title"), _("status")],
        rows=_rows,
        formats=("csv", "xlsx"),              # default
        permission="grants.export_applications",  # a `rules` permission; None = any signed-in user
        params=("call", "status"),            # query-string names the generator accepts
    )

    # grants/apps.py
    def ready(self):
        from grants import exports  # noqa: F401

`columns` is a list, or a function `columns(params, user) -> list` for reports whose columns
depend on the parameters (one column per question of a grant call, say).

`refusal(params, fmt) -> str`, optional: the reason (translated) why these cleaned params (in
format `fmt`) make no report, or "" when they do (say, a PDF of more rows than a PDF holds); `report_job_start` then refuses with it (a 400 on the export
button's page) instead of queueing a job that would fall back to other data.

`rows(params, user) -> (total, rows)`: `params` holds only the names declared in
`params` (a str, or a list when a name came several times); `user` is who asked (scope
rows to what they may see). `total` is the expected number of rows (for the progress
bar; an estimate is fine); `rows` yields one sequence per row, in column order. It runs
in a Celery task inside `translation.override(<the requester's language>)`, so lazy
labels, `get_FOO_display()` and `TranslatedNameMixin.name` come out in that language.

A report of PUBLIC data registers with `public=True`: anyone may run it, visitors included.
A visitor's job has no `requested_by`; it is fetched by a signed link (`signed_link(job)`,
`core:report_link`), valid for LINK_MAX_AGE, which reveals only that job (the job's id,
signed with SECRET_KEY; `job_from_link` refuses a changed or expired one). Signed-in users
get the same link on their job pages. A job of a report that is not public is never
served by link.

Then a page offers the buttons with
`{% include "core/includes/_export_buttons.html" with kind="grants.applications" %}`
(they carry the page's query string as params and show only to people with the
permission), and `core.services.report_job_start()` does the rest: checks, a
`ReportJob` row, the task, the progress page and the private download.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ImproperlyConfigured

from core.exports import WRITERS

RowsFn = Callable[[dict, object], tuple[int, Iterable[Sequence]]]

MAX_PARAM_LENGTH = 200
MAX_PARAM_VALUES = 20
LINK_MAX_AGE = 24 * 60 * 60  # seconds a signed link to a public report's job stays valid
_LINK_SALT = "core.reports.link"


class UnknownReport(LookupError):
    pass


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    columns: Sequence[str] | Callable[[dict, object], Sequence[str]]
    rows: RowsFn
    formats: tuple[str, ...] = ("csv", "xlsx")
    permission: str | None = None
    params: tuple[str, ...] = ()
    public: bool = False
    refusal: Callable[[dict, str], str] | None = None

    def columns_for(self, params: dict, user) -> Sequence[str]:
        return self.columns(params, user) if callable(self.columns) else self.columns

    def allowed_for(self, user) -> bool:
        if self.public:
            return True
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return self.permission is None or user.has_perm(self.permission)

    def clean_params(self, data: Mapping | None) -> dict:
        """Keep only the declared parameters, as short strings (a list when repeated)."""
        cleaned: dict = {}
        if not data:
            return cleaned
        for name in self.params:
            if hasattr(data, "getlist"):
                values = data.getlist(name)
            else:
                raw = data.get(name)
                values = raw if isinstance(raw, list | tuple) else ([] if raw is None else [raw])
            values = [str(v)[:MAX_PARAM_LENGTH] for v in values[:MAX_PARAM_VALUES] if str(v) != ""]
            if values:
                cleaned[name] = values[0] if len(values) == 1 else values
        return cleaned


_registry: dict[str, Report] = {}


def register(
    *,
    kind: str,
    title: str,
    columns: Sequence[str] | Callable[[dict, object], Sequence[str]],
    rows: RowsFn,
    formats: Sequence[str] = ("csv", "xlsx"),
    permission: str | None = None,
    params: Sequence[str] = (),
    public: bool = False,
    refusal: Callable[[dict, str], str] | None = None,
) -> Report:
    """Make a report available under `kind`. Raises ImproperlyConfigured on a duplicate kind
    or a format without a writer in `core.exports`."""
    if kind in _registry:
        raise ImproperlyConfigured(f"Report {kind!r} is registered twice.")
    unknown = set(formats) - set(WRITERS)
    if unknown or not formats:
        raise ImproperlyConfigured(f"Report {kind!r}: no writer for format(s) {sorted(unknown)}.")
    report = Report(
        kind=kind,
        title=title,
        columns=columns if callable(columns) else list(columns),
        rows=rows,
        formats=tuple(formats),
        permission=permission,
        params=tuple(params),
        public=public,
        refusal=refusal,
    )
    _registry[kind] = report
    return report


def unregister(kind: str) -> None:
    """Remove a report (for tests)."""
    _registry.pop(kind, None)


def get(kind: str) -> Report:
    try:
        return _registry[kind]
    except KeyError:
        raise UnknownReport(kind) from None


def all_reports() -> list[Report]:
    return sorted(_registry.values(), key=lambda r: r.kind)


def title_of(kind: str) -> str:
    """The report's title, or its kind when it is no longer registered (old jobs)."""
    report = _registry.get(kind)
    return str(report.title) if report else kind


def is_public(kind: str) -> bool:
    report = _registry.get(kind)
    return bool(report and report.public)


def signed_link(job) -> str:
    """The token of the signed link to `job` (see the module's docstring)."""
    return signing.dumps(str(job.pk), salt=_LINK_SALT)


def job_from_link(token: str):
    """The ReportJob a signed link names, or None when the link was changed, has expired,
    names no job or a job of a report that is not public."""
    from core.models import ReportJob

    try:
        pk = signing.loads(token, salt=_LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    job = ReportJob.objects.filter(pk=pk).first() if isinstance(pk, str) and len(pk) == 36 else None
    if job is None or not is_public(job.kind):
        return None
    return job
