"""The programme in figures: participants by municipality, gender and age group, attendance,
completion, community projects (with the peers they mobilised) and certificates, in total,
per cohort and per year. Computed in the database (a fixed number of queries, whatever the
number of participants); read by the staff page, the partner API (`suppress()` first) and
the yearly report (academy.exports).

Definitions:
- participant: a confirmed application (ApplicationStatus.CONFIRMED) of a cohort;
- age group: the participant's age on the cohort's start date;
- attendance rate: present marks of participants ÷ (participants × sessions held so far),
  sessions held being those that have started;
- completed: meets the cohort's completion rule as `academy.services.completion` reads it
  (attendance of all the cohort's sessions ≥ the minimum, a finished project when required);
- certificates: certificates of completion issued and not revoked (core.certificates).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.certificates import KIND as CERTIFICATE_KIND
from academy.choices import FEEDBACK_QUESTIONS, ApplicationStatus, CohortStatus, Gender
from academy.models import (
    Attendance,
    Cohort,
    CohortApplication,
    CommunityProject,
    Session,
    Training,
    TrainingAttendee,
    TrainingFeedback,
)
from academy.selectors import assessment_aggregate
from core.models import Certificate, Municipality

MIN_YEAR, MAX_YEAR = 2000, 2100
SMALL_CELL = 5  # counts from 1 to SMALL_CELL - 1 are hidden for partners (suppress())

AGE_GROUPS = [
    # key, label, youngest, oldest (inclusive; None: open)
    ("under_18", gettext_lazy("under 18"), None, 17),
    ("18_24", gettext_lazy("18–24"), 18, 24),
    ("25_29", gettext_lazy("25–29"), 25, 29),
    ("30_plus", gettext_lazy("30 and over"), 30, None),
]
NOT_RECORDED = ""


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    cohort: Cohort | None = None

    def as_params(self) -> dict:
        params = {}
        if self.year is not None:
            params["year"] = str(self.year)
        if self.cohort is not None:
            params["cohort"] = str(self.cohort.pk)
        return params


def cohort_choices(*, public_only: bool = False):
    cohorts = Cohort.objects.exclude(status=CohortStatus.DRAFT) if public_only else Cohort.objects.all()
    return cohorts.order_by("-year", "-starts_on", "pk")


def _whole_number(value: str) -> int | None:
    value = (value or "").strip()
    # isdecimal, not isdigit: "²" is a digit that int() refuses
    if not value or len(value) > 10 or not (value.isascii() and value.isdecimal()):
        return None
    return int(value)


def parse_filters(query, *, public_only: bool = False) -> tuple[Filters, dict[str, list[str]]]:
    """The filters of a query string (`year`, `cohort`; both optional) and the errors, keyed
    by parameter, of those that are not a year from 2000 to 2100 or a cohort of the list."""
    errors: dict[str, list[str]] = {}
    year = cohort = None
    raw_year = query.get("year", "")
    if raw_year != "":
        year = _whole_number(raw_year)
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            errors["year"] = [_("A year between 2000 and 2100.")]
            year = None
    raw_cohort = query.get("cohort", "")
    if raw_cohort != "":
        pk = _whole_number(raw_cohort)
        if pk is not None and 0 < pk < 2**31:
            cohort = cohort_choices(public_only=public_only).filter(pk=pk).first()
        if cohort is None:
            errors["cohort"] = [_("Choose a cohort from the list.")]
    return Filters(year=year, cohort=cohort), errors


# --- the querysets ----------------------------------------------------------------------------


def _count_subquery(queryset, group: str):
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def participants(filters: Filters):
    """The participants the filters select, each with the numbers the figures add up."""
    qs = CohortApplication.objects.filter(status=ApplicationStatus.CONFIRMED)
    if filters.year is not None:
        qs = qs.filter(cohort__year=filters.year)
    if filters.cohort is not None:
        qs = qs.filter(cohort=filters.cohort)
    application_type = ContentType.objects.get_for_model(CohortApplication)
    sessions = Session.objects.filter(cohort=OuterRef("cohort"))
    present = Attendance.objects.filter(
        participant=OuterRef("pk"), present=True, session__cohort=OuterRef("cohort")
    )
    finished = CommunityProject.members.through.objects.filter(
        cohortapplication=OuterRef("pk"), communityproject__finished_at__isnull=False
    )
    certified = Certificate.objects.filter(
        kind=CERTIFICATE_KIND,
        content_type=application_type,
        object_id=OuterRef("pk"),
        revoked_at__isnull=True,
    )
    qs = qs.annotate(
        sessions_total=_count_subquery(sessions, "cohort"),
        attended=_count_subquery(present, "participant"),
        has_finished_project=Exists(finished),
        certified=Exists(certified),
    )
    qs = qs.annotate(
        attended_x100=ExpressionWrapper(F("attended") * 100, output_field=IntegerField()),
        needed_x100=ExpressionWrapper(
            F("cohort__completion_min_attendance") * F("sessions_total"), output_field=IntegerField()
        ),
    )
    return qs.annotate(
        completed=Case(
            When(
                Q(sessions_total__gt=0)
                & Q(attended_x100__gte=F("needed_x100"))
                & (Q(has_finished_project=True) | Q(cohort__completion_requires_project=False)),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def _age_group_expression():
    """The participant's age on the cohort's start date, as one of AGE_GROUPS' keys."""
    start_year, born_year = ExtractYear("cohort__starts_on"), ExtractYear("date_of_birth")
    before_birthday = Q(start_month__lt=F("born_month")) | (
        Q(start_month=F("born_month")) & Q(start_day__lt=F("born_day"))
    )
    whens = []
    for key, _label, youngest, oldest in AGE_GROUPS:
        condition = Q()
        if youngest is not None:
            condition &= Q(age__gte=youngest)
        if oldest is not None:
            condition &= Q(age__lte=oldest)
        whens.append(When(condition, then=Value(key)))
    return {
        "start_month": ExtractMonth("cohort__starts_on"),
        "start_day": ExtractDay("cohort__starts_on"),
        "born_month": ExtractMonth("date_of_birth"),
        "born_day": ExtractDay("date_of_birth"),
    }, (
        ExpressionWrapper(start_year - born_year, output_field=IntegerField()),
        Case(When(before_birthday, then=Value(1)), default=Value(0), output_field=IntegerField()),
        Case(*whens, default=Value("")),
    )


def _projects(filters: Filters):
    qs = CommunityProject.objects.all()
    if filters.year is not None:
        qs = qs.filter(cohort__year=filters.year)
    if filters.cohort is not None:
        qs = qs.filter(cohort=filters.cohort)
    return qs


PROJECT_SUMS = {
    "projects": Count("pk"),
    "finished_projects": Count("pk", filter=Q(finished_at__isnull=False)),
    "peers_mobilised": Coalesce(Sum("peers_mobilised"), Value(0)),
}
EMPTY_PROJECTS = {"projects": 0, "finished_projects": 0, "peers_mobilised": 0}
EMPTY_PARTICIPANTS = {
    "participants": 0,
    "attended_held": 0,
    "sessions_held": 0,
    "completed": 0,
    "certificates": 0,
}


def _per_cohort(queryset, count: str = "pk") -> dict[int, int]:
    """{cohort id: count} of a queryset of participants, sessions or attendance marks, grouped
    by `count`'s cohort (one query; the per-row subqueries of `participants()` stay in WHERE)."""
    return dict(queryset.order_by().values_list(count).annotate(n=Count("pk")).values_list(count, "n"))


def _participant_numbers(filters: Filters, people) -> dict[int, dict]:
    """Per cohort: participants, present marks and participant×sessions held, completed,
    certified (five grouped queries)."""
    now = timezone.now()
    counted = CohortApplication.objects.filter(pk__in=people.values("pk"))
    participants_ = _per_cohort(counted, "cohort")
    completed = _per_cohort(
        CohortApplication.objects.filter(pk__in=people.filter(completed=1).values("pk")), "cohort"
    )
    certified = _per_cohort(
        CohortApplication.objects.filter(pk__in=people.filter(certified=True).values("pk")), "cohort"
    )
    held = _per_cohort(Session.objects.filter(cohort__in=list(participants_), starts_at__lte=now), "cohort")
    present = _per_cohort(
        Attendance.objects.filter(
            participant__in=people.values("pk"),
            present=True,
            session__starts_at__lte=now,
            session__cohort=F("participant__cohort"),
        ),
        "participant__cohort",
    )
    return {
        pk: {
            "participants": n,
            "attended_held": present.get(pk, 0),
            "sessions_held": held.get(pk, 0) * n,
            "completed": completed.get(pk, 0),
            "certificates": certified.get(pk, 0),
        }
        for pk, n in participants_.items()
    }


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _row(numbers: dict) -> dict:
    """The public numbers of a row (the sums behind the rates stay inside)."""
    return {
        "participants": numbers["participants"],
        "attendance_rate": _percent(numbers["attended_held"], numbers["sessions_held"]),
        "completed": numbers["completed"],
        "completion_rate": _percent(numbers["completed"], numbers["participants"]),
        "projects": numbers["projects"],
        "finished_projects": numbers["finished_projects"],
        "peers_mobilised": numbers["peers_mobilised"],
        "certificates": numbers["certificates"],
    }


def figures(filters: Filters) -> dict:
    """Every figure of the selection (eleven queries, and six for the trainings)."""
    people = participants(filters)
    per_cohort: dict[int, dict] = {
        pk: {**numbers, **EMPTY_PROJECTS} for pk, numbers in _participant_numbers(filters, people).items()
    }
    for row in _projects(filters).values("cohort").annotate(**PROJECT_SUMS).order_by():
        per_cohort.setdefault(row.pop("cohort"), {**EMPTY_PARTICIPANTS, **EMPTY_PROJECTS}).update(row)
    cohorts = Cohort.objects.in_bulk(list(per_cohort))
    by_cohort = []
    for pk, numbers in per_cohort.items():
        cohort = cohorts[pk]
        by_cohort.append(
            {
                "cohort": pk,
                "title": cohort.title,
                "year": cohort.year,
                "starts_on": cohort.starts_on,
                **numbers,
            }
        )
    by_cohort.sort(key=lambda r: (-r["year"], -r["starts_on"].toordinal(), r["cohort"]))
    # Per year and in total: sums of the cohorts' rows (a handful a year).
    totals = {**EMPTY_PARTICIPANTS, **EMPTY_PROJECTS}
    per_year: dict[int, dict] = {}
    for row in by_cohort:
        into = per_year.setdefault(row["year"], {**EMPTY_PARTICIPANTS, **EMPTY_PROJECTS})
        for key in into:
            into[key] += row[key]
            totals[key] += row[key]

    # Participants by municipality, gender and age group.
    by_municipality = list(
        people.values("municipality").annotate(count=Count("pk")).order_by("-count", "municipality")
    )
    places = Municipality.objects.in_bulk([r["municipality"] for r in by_municipality])
    by_gender = {
        r["gender"]: r["count"] for r in people.values("gender").annotate(count=Count("pk")).order_by()
    }
    parts, (years, correction, group) = _age_group_expression()
    by_age = {
        r["age_group"]: r["count"]
        for r in CohortApplication.objects.filter(pk__in=people.values("pk"))
        .annotate(**parts)
        .annotate(age=ExpressionWrapper(years - correction, output_field=IntegerField()))
        .annotate(age_group=group)
        .values("age_group")
        .annotate(count=Count("pk"))
        .order_by()
    }
    gender_rows = [
        {"key": value, "label": str(label), "count": by_gender.get(value, 0)}
        for value, label in Gender.choices
    ]
    gender_rows.append({"key": "not_recorded", "label": _("Not recorded"), "count": by_gender.get("", 0)})
    return {
        "filters": filters,
        "totals": {"cohorts": len(by_cohort), **_row(totals)},
        "by_municipality": [
            {
                "key": places[r["municipality"]].slug,
                "label": places[r["municipality"]].name,
                "count": r["count"],
            }
            for r in by_municipality
        ],
        "by_gender": gender_rows,
        "by_age_group": [
            {"key": key, "label": str(label), "count": by_age.get(key, 0)}
            for key, label, _y, _o in AGE_GROUPS
        ],
        "by_cohort": [
            {"cohort": r["cohort"], "title": r["title"], "year": r["year"], **_row(r)} for r in by_cohort
        ],
        "by_year": [{"year": year, **_row(per_year[year])} for year in sorted(per_year, reverse=True)],
        # the CSO trainings follow the year only (they belong to no cohort)
        "trainings": training_figures(filters.year),
    }


# --- CSO capacity trainings and the self-assessment -------------------------------------------


def training_figures(year: int | None = None) -> dict:
    """The CSO capacity trainings held (started by now) in `year` (by start date; every year
    when None): trainings, organisations trained (with at least one person present), people
    registered and present, the attendance rate, the feedback's average per question; and the
    self-assessment change per area (`assessment_aggregate`: organisations whose follow-up is
    dated in `year`, hidden below five organisations). Six queries, whatever the rows."""
    held = Training.objects.filter(starts_at__lte=timezone.now())
    if year is not None:
        held = held.filter(starts_at__year=year)
    trainings_held = held.count()
    people = TrainingAttendee.objects.filter(training__in=held.values("pk")).aggregate(
        registered=Count("pk"),
        attended=Count("pk", filter=Q(present=True)),
        organizations=Count("registration__organization", filter=Q(present=True), distinct=True),
    )
    feedback = TrainingFeedback.objects.filter(training__in=held.values("pk")).aggregate(
        answers=Count("pk"), **{name: Avg(name) for name, _label in FEEDBACK_QUESTIONS}
    )
    change = assessment_aggregate(year)
    return {
        "year": year,
        "trainings": trainings_held,
        "organizations": people["organizations"],
        "registered": people["registered"],
        "attended": people["attended"],
        "attendance_rate": _percent(people["attended"], people["registered"]),
        "feedback_answers": feedback["answers"],
        "feedback": [
            {
                "key": name,
                "label": str(label),
                "average": round(feedback[name], 2) if feedback[name] is not None else None,
            }
            for name, label in FEEDBACK_QUESTIONS
        ],
        "assessment": {
            "organizations": change["count"],
            "minimum": change["minimum"],
            "hidden": change["hidden"],
            "areas": [
                {
                    "key": row["area"].pk,
                    "label": row["area"].name,
                    "baseline": _rounded(row["baseline"]),
                    "follow_up": _rounded(row["follow_up"]),
                    "change": _rounded(row["change"]),
                }
                for row in change["rows"]
            ],
        },
    }


def _rounded(value):
    return round(value, 2) if value is not None else None


# --- for partners -----------------------------------------------------------------------------

COUNT_KEYS = ("participants", "completed", "projects", "finished_projects", "peers_mobilised", "certificates")


def _hide(value):
    return None if isinstance(value, int) and 0 < value < SMALL_CELL else value


def _suppress_row(row: dict) -> dict:
    row = dict(row)
    small_group = row.get("participants", 0) < SMALL_CELL
    for key in COUNT_KEYS:
        if key in row:
            row[key] = _hide(row[key])
    if small_group:  # a rate of fewer than five people tells about each of them
        row["attendance_rate"] = row["completion_rate"] = None
    return row


def suppress(data: dict) -> dict:
    """The figures with every count from 1 to 4 hidden (None), and the rates of rows of fewer
    than five participants hidden too, so that no small group of people can be singled out."""
    return {
        **data,
        "totals": _suppress_row(data["totals"]),
        "by_municipality": [{**r, "count": _hide(r["count"])} for r in data["by_municipality"]],
        "by_gender": [{**r, "count": _hide(r["count"])} for r in data["by_gender"]],
        "by_age_group": [{**r, "count": _hide(r["count"])} for r in data["by_age_group"]],
        "by_cohort": [_suppress_row(r) for r in data["by_cohort"]],
        "by_year": [_suppress_row(r) for r in data["by_year"]],
        **({"trainings": suppress_trainings(data["trainings"])} if "trainings" in data else {}),
    }


TRAINING_COUNT_KEYS = ("trainings", "organizations", "registered", "attended", "feedback_answers")


def suppress_trainings(block: dict) -> dict:
    """The training figures with every count from 1 to 4 hidden (None); the attendance rate
    hidden below five people registered, the feedback averages below five answers; the
    self-assessment's areas are already empty below five organisations."""
    block = dict(block)
    if block["registered"] < SMALL_CELL:
        block["attendance_rate"] = None
    if block["feedback_answers"] < SMALL_CELL:
        block["feedback"] = [{**r, "average": None} for r in block["feedback"]]
    for key in TRAINING_COUNT_KEYS:
        block[key] = _hide(block[key])
    block["assessment"] = {
        **block["assessment"],
        "organizations": _hide(block["assessment"]["organizations"]),
    }
    return block
