"""The transparency badge's rules: what each check asks of an organisation's reports, the score, and the level it earns (evaluate); no reads for pages and no writes here (selectors/badges.py, services/badges.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.money import format_money
from transparency.choices import BADGE_ORDER, BadgeLevel, DocumentKind, ReportStatus
from transparency.models import TransparencyReport

# (month, day) of the year after the report's year by which the report is due.
# A deployment may override it with settings.TRANSPARENCY_REPORT_DEADLINE = (month, day).
DEFAULT_REPORT_DEADLINE = (6, 30)


MIN_BOARD_MEMBERS = 3


CONSECUTIVE_YEARS = 3


MAX_SCORE = 100


# Code → weight (points). The rules below take their weight from here.
WEIGHTS = {
    "recent_report": 10,
    "on_time": 10,
    "income_complete": 15,
    "expenditure_split": 10,
    "governance": 10,
    "people": 5,
    "activities": 10,
    "financial_statement": 15,
    "audit_report": 10,
    "consecutive_years": 5,
}


@dataclass(frozen=True)
class Level:
    level: str  # a BadgeLevel value
    min_score: int
    required: tuple[str, ...]  # rule codes that must be met

    @property
    def label(self) -> str:
        return BadgeLevel(self.level).label


# Lowest first.
LEVELS: tuple[Level, ...] = (
    Level(BadgeLevel.BRONZE, 40, ("recent_report",)),
    Level(BadgeLevel.SILVER, 65, ("recent_report", "financial_statement")),
    Level(BadgeLevel.GOLD, 85, ("recent_report", "financial_statement", "audit_report", "consecutive_years")),
)


def deadline_month_day() -> tuple[int, int]:
    return tuple(getattr(settings, "TRANSPARENCY_REPORT_DEADLINE", DEFAULT_REPORT_DEADLINE))


def report_deadline(year: int) -> datetime.date:
    """The last day on which the report for `year` is on time."""
    month, day = deadline_month_day()
    return datetime.date(year + 1, month, day)


def due_year(today: datetime.date) -> int:
    """The last year whose report deadline has passed (on the deadline day itself the
    report is not late yet, so the year before is still the due one)."""
    return today.year - 1 if today > report_deadline(today.year - 1) else today.year - 2


def deadline_label() -> str:
    month, day = deadline_month_day()
    return date_format(datetime.date(2000, month, day), "MONTH_DAY_FORMAT")


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT")


def _eur(value) -> str:
    return format_money(value)


@dataclass(frozen=True)
class Check:
    met: bool
    reason: str


@dataclass
class BadgeContext:
    """What the checks look at: the published reports, newest year first."""

    reports: Sequence[TransparencyReport]
    today: datetime.date
    # year → the earliest date a public version of that year's report was submitted
    # (or published, when no submission date is known): corrections keep the original date.
    first_submitted: dict[int, datetime.date]

    @property
    def due_year(self) -> int:
        return due_year(self.today)

    @property
    def current(self) -> TransparencyReport | None:
        """The newest published report, if it is recent (the due year or the year before)."""
        if self.reports and self.reports[0].year >= self.due_year - 1:
            return self.reports[0]
        return None

    def no_current(self) -> Check:
        due = self.due_year
        if not self.reports:
            return Check(False, _("No report is published yet."))
        return Check(
            False,
            _("The newest published report is for %(year)s; a report for %(due)s or %(before)s is needed.")
            % {"year": self.reports[0].year, "due": due, "before": due - 1},
        )


@dataclass(frozen=True)
class Rule:
    code: str
    title: Promise
    explanation: Promise  # may use %(deadline)s, %(board)s, %(years)s
    check: Callable[[BadgeContext], Check]

    @property
    def weight(self) -> int:
        return WEIGHTS[self.code]

    @property
    def explanation_text(self) -> str:
        return str(self.explanation) % {
            "deadline": deadline_label(),
            "board": MIN_BOARD_MEMBERS,
            "years": CONSECUTIVE_YEARS,
        }


def _needs_current(check):
    """A check of the current report: not met, with the reason, when there is none."""

    def wrapped(ctx: BadgeContext) -> Check:
        report = ctx.current
        return ctx.no_current() if report is None else check(report, ctx)

    wrapped.__name__ = check.__name__
    wrapped.__doc__ = check.__doc__
    return wrapped


def check_recent_report(ctx: BadgeContext) -> Check:
    report = ctx.current
    if report is None:
        return ctx.no_current()
    return Check(True, _("The report for %(year)s is published.") % {"year": report.year})


def check_on_time(ctx: BadgeContext) -> Check:
    due = ctx.due_year
    target = ctx.reports[0] if ctx.reports and ctx.reports[0].year >= due else None
    if target is None:
        return Check(
            False,
            _("The report for %(year)s was due by %(deadline)s and is not published.")
            % {"year": due, "deadline": _date(report_deadline(due))},
        )
    deadline = report_deadline(target.year)
    submitted = ctx.first_submitted.get(target.year)
    if submitted is None:
        return Check(
            False, _("The date the report for %(year)s was submitted is not known.") % {"year": target.year}
        )
    params = {"year": target.year, "date": _date(submitted), "deadline": _date(deadline)}
    if submitted <= deadline:
        return Check(
            True,
            _("The report for %(year)s was submitted on %(date)s, by the deadline of %(deadline)s.") % params,
        )
    return Check(
        False,
        _("The report for %(year)s was submitted on %(date)s, after the deadline of %(deadline)s.") % params,
    )


@_needs_current
def check_income_complete(report, ctx) -> Check:
    total = report.total_income
    if total <= 0:
        return Check(False, _("No income is reported by source."))
    declared = report.total_income_declared
    if declared is not None and declared != total:
        return Check(
            False,
            _("The income sources add up to %(sum)s, but the total given is %(total)s.")
            % {"sum": _eur(total), "total": _eur(declared)},
        )
    return Check(True, _("Income of %(sum)s is reported by source.") % {"sum": _eur(total)})


@_needs_current
def check_expenditure_split(report, ctx) -> Check:
    if report.total_expenditure <= 0:
        return Check(False, _("No expenditure is reported."))
    return Check(
        True,
        _("Expenditure reported: programmes %(programs)s, administration %(admin)s, fundraising %(fund)s.")
        % {
            "programs": _eur(report.expenditure_programs),
            "admin": _eur(report.expenditure_administration),
            "fund": _eur(report.expenditure_fundraising),
        },
    )


@_needs_current
def check_governance(report, ctx) -> Check:
    listed = [m for m in report.board_members.all() if m.name.strip() and m.role.strip()]
    count = len(listed)
    if count >= MIN_BOARD_MEMBERS:
        return Check(
            True,
            ngettext(
                "%(count)s board member is listed with a role.",
                "%(count)s board members are listed with their roles.",
                count,
            )
            % {"count": count},
        )
    return Check(
        False,
        ngettext(
            "%(count)s board member is listed with a role; at least %(min)s are needed.",
            "%(count)s board members are listed with their roles; at least %(min)s are needed.",
            count,
        )
        % {"count": count, "min": MIN_BOARD_MEMBERS},
    )


@_needs_current
def check_people(report, ctx) -> Check:
    staff = report.staff_full_time + report.staff_part_time
    if staff + report.volunteers == 0:
        return Check(False, _("No paid staff or volunteers are reported."))
    if report.volunteers and not report.volunteer_hours:
        return Check(False, _("Volunteers are reported without their hours."))
    return Check(
        True,
        _("%(staff)s paid staff and %(volunteers)s volunteers (%(hours)s hours) are reported.")
        % {"staff": staff, "volunteers": report.volunteers, "hours": report.volunteer_hours},
    )


@_needs_current
def check_activities(report, ctx) -> Check:
    if not report.main_activities.strip():
        return Check(False, _("The main activities and results are not described."))
    if report.beneficiaries_reached is None:
        return Check(False, _("The number of beneficiaries reached is not given."))
    return Check(
        True,
        _("Activities are described; %(count)s beneficiaries reached.")
        % {"count": report.beneficiaries_reached},
    )


def _document_check(kind: str, found: Promise, missing: Promise):
    def check(report, ctx) -> Check:
        if any(doc.kind == kind for doc in report.documents.all()):
            return Check(True, str(found) % {"year": report.year})
        return Check(False, str(missing) % {"year": report.year})

    check.__name__ = f"check_{kind}"
    return _needs_current(check)


check_financial_statement = _document_check(
    DocumentKind.FINANCIAL_STATEMENT,
    gettext_lazy("The annual financial statement for %(year)s is uploaded."),
    gettext_lazy("The annual financial statement for %(year)s is not uploaded."),
)


check_audit_report = _document_check(
    DocumentKind.AUDIT_REPORT,
    gettext_lazy("The audit report for %(year)s is uploaded."),
    gettext_lazy("The audit report for %(year)s is not uploaded."),
)


@_needs_current
def check_consecutive_years(report, ctx) -> Check:
    published = {r.year for r in ctx.reports}
    needed = list(range(report.year - CONSECUTIVE_YEARS + 1, report.year + 1))
    missing = [year for year in needed if year not in published]
    years = ", ".join(str(y) for y in needed)
    if not missing:
        return Check(True, _("Reports are published for %(years)s.") % {"years": years})
    return Check(
        False,
        _("Reports for %(years)s are needed; missing: %(missing)s.")
        % {"years": years, "missing": ", ".join(str(y) for y in missing)},
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "recent_report",
        gettext_lazy("Recent report published"),
        gettext_lazy(
            "A report for the last year whose deadline has passed, or the year before, is published."
        ),
        check_recent_report,
    ),
    Rule(
        "on_time",
        gettext_lazy("Report on time"),
        gettext_lazy(
            "The report for the last year was submitted for checking by %(deadline)s of the following "
            "year. The time KCSF takes to check it does not count; a correction keeps the original date."
        ),
        check_on_time,
    ),
    Rule(
        "income_complete",
        gettext_lazy("Income sources complete"),
        gettext_lazy(
            "Income is reported by source (each source filled, or zero), and the sources add up to the "
            "total income when a total is given."
        ),
        check_income_complete,
    ),
    Rule(
        "expenditure_split",
        gettext_lazy("Expenditure split given"),
        gettext_lazy("Expenditure is reported, split into programmes, administration and fundraising."),
        check_expenditure_split,
    ),
    Rule(
        "governance",
        gettext_lazy("Governance listed"),
        gettext_lazy("The board is listed: at least %(board)s members, each with a name and a role."),
        check_governance,
    ),
    Rule(
        "people",
        gettext_lazy("Staff and volunteers reported"),
        gettext_lazy("Paid staff (full-time and part-time) and volunteers with their hours are reported."),
        check_people,
    ),
    Rule(
        "activities",
        gettext_lazy("Activities and beneficiaries reported"),
        gettext_lazy(
            "The main activities and results are described and the number of beneficiaries is given."
        ),
        check_activities,
    ),
    Rule(
        "financial_statement",
        gettext_lazy("Financial statement uploaded"),
        gettext_lazy("The annual financial statement is uploaded with the report."),
        check_financial_statement,
    ),
    Rule(
        "audit_report",
        gettext_lazy("Audit report uploaded"),
        gettext_lazy("An independent audit report is uploaded with the report."),
        check_audit_report,
    ),
    Rule(
        "consecutive_years",
        gettext_lazy("Three consecutive years"),
        gettext_lazy("Reports are published for %(years)s consecutive years, up to the current report."),
        check_consecutive_years,
    ),
)


RULES_BY_CODE = {rule.code: rule for rule in RULES}


assert set(WEIGHTS) == set(RULES_BY_CODE), "every rule has a weight and every weight a rule"


assert sum(WEIGHTS.values()) == MAX_SCORE, "the weights add up to 100"


assert all(code in RULES_BY_CODE for level in LEVELS for code in level.required)


@dataclass(frozen=True)
class RuleResult:
    code: str
    title: str
    explanation: str
    weight: int
    met: bool
    reason: str
    required_for_next: bool = False

    @property
    def points(self) -> int:
        return self.weight if self.met else 0


@dataclass
class Evaluation:
    level: str
    score: int
    year: int | None  # the year of the current report
    rules: list[RuleResult]
    due_year: int
    next_level: Level | None = None
    points_needed: int = 0
    # The rules not met, the ones the next level requires first, then by weight.
    missing_for_next_level: list[RuleResult] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return BadgeLevel(self.level).label

    @property
    def met_codes(self) -> list[str]:
        return [r.code for r in self.rules if r.met]

    @property
    def required_missing(self) -> list[RuleResult]:
        """The rules the next level requires that are not met: what stands in the way first."""
        return [r for r in self.missing_for_next_level if r.required_for_next]


def level_for(score: int, met: set[str]) -> str:
    level = BadgeLevel.NONE
    for candidate in LEVELS:
        if score >= candidate.min_score and set(candidate.required) <= met:
            level = candidate.level
    return level


def next_level_after(level: str) -> Level | None:
    higher = [
        candidate for candidate in LEVELS if BADGE_ORDER.index(candidate.level) > BADGE_ORDER.index(level)
    ]
    return higher[0] if higher else None


def levels_at_least(level: str) -> list[str]:
    """BadgeLevel values at `level` or above (for "at least silver" filters)."""
    return [str(value) for value in BADGE_ORDER[BADGE_ORDER.index(level) :]]


def _first_submitted(organization) -> dict[int, datetime.date]:
    rows = (
        TransparencyReport.objects.filter(
            organization=organization, status__in=(ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED)
        )
        .values("year")
        .annotate(submitted=Min("submitted_at"), published=Min("published_at"))
    )
    return _dates({row["year"]: (row["submitted"], row["published"]) for row in rows})


def _dates(candidates: dict[int, tuple]) -> dict[int, datetime.date]:
    result = {}
    for year, moments in candidates.items():
        known = [m for m in moments if m is not None]
        if known:
            result[year] = timezone.localdate(min(known))
    return result


def _load_reports(organization) -> list[TransparencyReport]:
    from transparency.selectors.reports import published_reports

    return list(published_reports(organization))


def evaluate(organization, reports=None, *, today: datetime.date | None = None) -> Evaluation:
    """The badge an organisation earns from its published reports (newest year first;
    loaded when not given, with board members and documents prefetched)."""
    today = today or timezone.localdate()
    if reports is None:
        reports = _load_reports(organization)
        first_submitted = _first_submitted(organization)
    else:
        reports = sorted(reports, key=lambda r: r.year, reverse=True)
        first_submitted = _dates({r.year: (r.submitted_at, r.published_at) for r in reports})
    ctx = BadgeContext(reports=reports, today=today, first_submitted=first_submitted)

    checks = [(rule, rule.check(ctx)) for rule in RULES]
    score = sum(rule.weight for rule, check in checks if check.met)
    met = {rule.code for rule, check in checks if check.met}
    level = level_for(score, met)

    next_level = next_level_after(level)
    required_next = set(next_level.required) if next_level else set()
    results = [
        RuleResult(
            code=rule.code,
            title=str(rule.title),
            explanation=rule.explanation_text,
            weight=rule.weight,
            met=check.met,
            reason=str(check.reason),
            required_for_next=rule.code in required_next and not check.met,
        )
        for rule, check in checks
    ]
    evaluation = Evaluation(
        level=level,
        score=score,
        year=ctx.current.year if ctx.current else None,
        rules=results,
        due_year=ctx.due_year,
        next_level=next_level,
    )
    if next_level is not None:
        evaluation.points_needed = max(0, next_level.min_score - score)
        evaluation.missing_for_next_level = sorted(
            (r for r in results if not r.met), key=lambda r: (not r.required_for_next, -r.weight)
        )
    return evaluation
