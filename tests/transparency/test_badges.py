"""The badge rule set: each rule alone (met / not met), the levels, what is missing for the
next level, recompute and the nightly task."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests import factories
from tests.transparency.factories import BoardMemberFactory, TransparencyReportFactory
from transparency import badges, tasks
from transparency.choices import BadgeLevel, DocumentKind, ReportStatus
from transparency.models import OrganizationBadge, ReportDocument
from transparency.selectors import badges as badges_selectors
from transparency.services import badges as badges_services

pytestmark = pytest.mark.django_db

# 1 September 2026: the deadline of the 2025 reports (30 June 2026) has passed.
TODAY = datetime.date(2026, 9, 1)
DUE = 2025


def moment(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def publish(org, year, *, board=3, documents=(), submitted=None, **fields):
    """A published report of `year`, submitted on `submitted` (default: 1 March after the year)."""
    when = submitted or moment(year + 1, 3, 1)
    report = TransparencyReportFactory(
        organization=org,
        year=year,
        status=ReportStatus.PUBLISHED,
        submitted_at=when,
        published_at=when + datetime.timedelta(days=10),
        board=board,
        **fields,
    )
    for kind in documents:
        ReportDocument.objects.create(
            report=report, kind=kind, file=f"transparency/{year}/{kind}.pdf", original_name=f"{kind}.pdf"
        )
    return report


BOTH_DOCUMENTS = (DocumentKind.FINANCIAL_STATEMENT, DocumentKind.AUDIT_REPORT)


def perfect(org, **overrides):
    """Three consecutive years, everything filled, both documents: every rule met."""
    publish(org, DUE - 2)
    publish(org, DUE - 1)
    fields = {"documents": BOTH_DOCUMENTS, **overrides}
    return publish(org, DUE, **fields)


def results(evaluation):
    return {r.code: r for r in evaluation.rules}


@pytest.fixture
def org():
    return factories.OrganizationFactory()


def test_the_published_numbers_hold():
    assert sum(badges.WEIGHTS.values()) == 100
    assert [rule.code for rule in badges.RULES] == list(badges.WEIGHTS)
    thresholds = [level.min_score for level in badges.LEVELS]
    assert thresholds == sorted(thresholds) and thresholds == [40, 65, 85]
    method = badges_selectors.methodology()
    assert {r["code"]: r["weight"] for r in method["rules"]} == badges.WEIGHTS
    assert [lvl["level"] for lvl in method["levels"]] == ["bronze", "silver", "gold"]


def test_due_year_and_deadline():
    assert badges.report_deadline(2025) == datetime.date(2026, 6, 30)
    assert badges.due_year(datetime.date(2026, 6, 30)) == 2024  # the last day is still on time
    assert badges.due_year(datetime.date(2026, 7, 1)) == 2025
    assert badges.due_year(datetime.date(2026, 1, 1)) == 2024


def test_deadline_setting(settings):
    settings.TRANSPARENCY_REPORT_DEADLINE = (4, 30)
    assert badges.report_deadline(2025) == datetime.date(2026, 4, 30)
    assert badges.due_year(datetime.date(2026, 5, 1)) == 2025


def test_perfect_record_is_gold_with_every_rule_met(org):
    perfect(org)
    evaluation = badges.evaluate(org, today=TODAY)
    assert all(r.met for r in evaluation.rules), [(r.code, r.reason) for r in evaluation.rules if not r.met]
    assert (evaluation.level, evaluation.score, evaluation.year) == (BadgeLevel.GOLD, 100, DUE)
    assert evaluation.next_level is None and evaluation.missing_for_next_level == []


# --- each rule alone: break one rule of the perfect record ----------------------------------


def _late(org):
    perfect(org, submitted=moment(DUE + 1, 7, 15))


def _declared_total_differs(org):
    perfect(org, total_income_declared=Decimal("1.00"))


def _no_expenditure(org):
    perfect(
        org,
        expenditure_programs=Decimal("0"),
        expenditure_administration=Decimal("0"),
        expenditure_fundraising=Decimal("0"),
    )


def _two_board_members(org):
    perfect(org, board=2)


def _no_people(org):
    perfect(org, staff_full_time=0, staff_part_time=0, volunteers=0, volunteer_hours=0)


def _no_beneficiaries(org):
    perfect(org, beneficiaries_reached=None)


def _no_statement(org):
    perfect(org, documents=(DocumentKind.AUDIT_REPORT, DocumentKind.STATUTE))


def _no_audit(org):
    perfect(org, documents=(DocumentKind.FINANCIAL_STATEMENT,))


def _gap_year(org):
    publish(org, DUE - 3)
    publish(org, DUE - 1)
    publish(org, DUE, documents=BOTH_DOCUMENTS)


BREAK_ONE = {
    "on_time": (_late, "after the deadline of"),
    "income_complete": (_declared_total_differs, "but the total given is"),
    "expenditure_split": (_no_expenditure, "No expenditure is reported."),
    "governance": (_two_board_members, "at least 3 are needed"),
    "people": (_no_people, "No paid staff or volunteers are reported."),
    "activities": (_no_beneficiaries, "The number of beneficiaries reached is not given."),
    "financial_statement": (_no_statement, "financial statement for 2025 is not uploaded"),
    "audit_report": (_no_audit, "The audit report for 2025 is not uploaded."),
    "consecutive_years": (_gap_year, "missing: 2023"),
}


@pytest.mark.parametrize("code", list(BREAK_ONE))
def test_each_rule_alone_not_met(org, code):
    breaker, reason = BREAK_ONE[code]
    breaker(org)
    with translation.override("en"):
        evaluation = badges.evaluate(org, today=TODAY)
    by_code = results(evaluation)
    assert not by_code[code].met
    assert reason in by_code[code].reason
    assert by_code[code].points == 0
    assert {c for c, r in by_code.items() if not r.met} == {code}  # the other rules are still met
    assert evaluation.score == 100 - badges.WEIGHTS[code]


def test_recent_report_alone_not_met_and_every_report_rule_follows(org):
    publish(org, DUE - 2, documents=BOTH_DOCUMENTS)  # complete, but too old
    with translation.override("en"):
        evaluation = badges.evaluate(org, today=TODAY)
    by_code = results(evaluation)
    assert "The newest published report is for 2023" in by_code["recent_report"].reason
    assert not any(r.met for r in evaluation.rules)
    assert (evaluation.level, evaluation.score, evaluation.year) == (BadgeLevel.NONE, 0, None)


def test_no_report_at_all(org):
    with translation.override("en"):
        evaluation = badges.evaluate(org, today=TODAY)
    assert evaluation.level == BadgeLevel.NONE and evaluation.score == 0
    assert results(evaluation)["recent_report"].reason == "No report is published yet."
    assert "was due by" in results(evaluation)["on_time"].reason


def test_each_rule_alone_met(org):
    """The reasons of the perfect record, rule by rule."""
    perfect(org)
    with translation.override("en"):
        by_code = results(badges.evaluate(org, today=TODAY))
    expected = {
        "recent_report": "The report for 2025 is published.",
        "on_time": "by the deadline of",
        "income_complete": "Income of €42,000.00 is reported by source.",
        "expenditure_split": "programmes €33,000.00",
        "governance": "3 board members are listed with their roles.",
        "people": "4 paid staff and 12 volunteers (480 hours) are reported.",
        "activities": "350 beneficiaries reached",
        "financial_statement": "financial statement for 2025 is uploaded",
        "audit_report": "The audit report for 2025 is uploaded.",
        "consecutive_years": "Reports are published for 2023, 2024, 2025.",
    }
    for code, text in expected.items():
        assert by_code[code].met and text in by_code[code].reason, (code, by_code[code].reason)
        assert by_code[code].points == badges.WEIGHTS[code]


# --- rule details ---------------------------------------------------------------------------


def test_income_needs_something_reported_and_a_matching_total(org):
    zero = {
        name: Decimal("0")
        for name in ("income_foreign_donors", "income_domestic_individuals", "income_membership_fees")
    }
    report = publish(org, DUE, **zero)
    with translation.override("en"):
        check = results(badges.evaluate(org, today=TODAY))["income_complete"]
    assert not check.met and check.reason == "No income is reported by source."
    report.income_other = Decimal("10.50")
    report.total_income_declared = Decimal("10.50")
    report.save()
    assert results(badges.evaluate(org, today=TODAY))["income_complete"].met


def test_board_members_without_a_role_do_not_count(org):
    report = publish(org, DUE, board=2)
    BoardMemberFactory(report=report, role=" ")
    assert not results(badges.evaluate(org, today=TODAY))["governance"].met
    BoardMemberFactory(report=report, role="Treasurer")
    assert results(badges.evaluate(org, today=TODAY))["governance"].met


def test_volunteers_need_their_hours(org):
    publish(org, DUE, staff_full_time=0, staff_part_time=0, volunteers=5, volunteer_hours=0)
    with translation.override("en"):
        check = results(badges.evaluate(org, today=TODAY))["people"]
    assert not check.met and check.reason == "Volunteers are reported without their hours."


def test_blank_activities(org):
    publish(org, DUE, main_activities="   ")
    assert not results(badges.evaluate(org, today=TODAY))["activities"].met


def test_on_time_on_the_deadline_day(org):
    perfect(org, submitted=moment(DUE + 1, 6, 30))
    assert results(badges.evaluate(org, today=TODAY))["on_time"].met


def test_a_correction_keeps_the_original_date(org):
    """A correction published after the deadline replaces the report; the original was on time."""
    original = publish(org, DUE, documents=BOTH_DOCUMENTS)
    original.status = ReportStatus.SUPERSEDED
    original.save()
    correction = publish(org, DUE, submitted=moment(DUE + 1, 8, 20), version=2, corrects=original)
    assert correction.status == ReportStatus.PUBLISHED
    evaluation = badges.evaluate(org, today=TODAY)
    assert results(evaluation)["on_time"].met
    # the correction is the current report: it has no documents
    assert not results(evaluation)["financial_statement"].met


def test_a_report_published_early_for_the_next_year_is_on_time(org):
    publish(org, DUE - 1, submitted=moment(DUE, 3, 1))
    publish(org, DUE, submitted=moment(DUE + 1, 3, 1))
    # 1 April 2026: the 2024 report is the due one, the 2025 report is already out, early
    evaluation = badges.evaluate(org, today=datetime.date(DUE + 1, 4, 1))
    assert evaluation.due_year == DUE - 1 and evaluation.year == DUE
    assert results(evaluation)["on_time"].met


def test_passing_deadline_lowers_on_time(org):
    """With the 2025 report missing, 30 June 2026 still counts the 2024 report; 1 July does not."""
    publish(org, DUE - 1, documents=BOTH_DOCUMENTS)
    before = badges.evaluate(org, today=datetime.date(DUE + 1, 6, 30))
    after = badges.evaluate(org, today=datetime.date(DUE + 1, 7, 1))
    assert results(before)["on_time"].met and not results(after)["on_time"].met
    assert after.score == before.score - badges.WEIGHTS["on_time"]
    with translation.override("en"):
        reason = results(badges.evaluate(org, today=datetime.date(DUE + 1, 7, 1)))["on_time"].reason
    assert reason.startswith("The report for 2025 was due by")
    # a year later, the 2024 report is no longer recent: no badge at all
    assert badges.evaluate(org, today=datetime.date(DUE + 2, 7, 1)).level == BadgeLevel.NONE


# --- levels ---------------------------------------------------------------------------------


def test_bronze(org):
    # recent 10 + income 15 + governance 10 + activities 10 = 45; late, no spending, no people
    publish(
        org,
        DUE,
        submitted=moment(DUE + 1, 9, 1),
        staff_full_time=0,
        staff_part_time=0,
        volunteers=0,
        expenditure_programs=Decimal("0"),
        expenditure_administration=Decimal("0"),
        expenditure_fundraising=Decimal("0"),
    )
    evaluation = badges.evaluate(org, today=datetime.date(DUE + 1, 9, 2))
    assert evaluation.score == 45
    assert evaluation.level == BadgeLevel.BRONZE


def test_below_bronze(org):
    publish(
        org,
        DUE,
        board=0,
        submitted=moment(DUE + 1, 9, 1),
        staff_full_time=0,
        staff_part_time=0,
        volunteers=0,
        expenditure_programs=Decimal("0"),
        expenditure_administration=Decimal("0"),
        expenditure_fundraising=Decimal("0"),
    )
    evaluation = badges.evaluate(org, today=datetime.date(DUE + 1, 9, 2))
    assert evaluation.score == 35 and evaluation.level == BadgeLevel.NONE
    assert evaluation.next_level.level == BadgeLevel.BRONZE
    assert evaluation.points_needed == 5


def test_score_of_silver_without_the_statement_is_bronze(org):
    publish(org, DUE)  # 100 - 15 (statement) - 10 (audit) - 5 (three years) = 70
    evaluation = badges.evaluate(org, today=TODAY)
    assert evaluation.score == 70
    assert evaluation.level == BadgeLevel.BRONZE
    assert evaluation.next_level.level == BadgeLevel.SILVER
    assert evaluation.points_needed == 0
    missing = evaluation.missing_for_next_level
    assert missing[0].code == "financial_statement" and missing[0].required_for_next
    assert {r.code for r in missing} == {"financial_statement", "audit_report", "consecutive_years"}
    assert [r.required_for_next for r in missing] == [True, False, False]


def test_silver(org):
    publish(org, DUE, documents=(DocumentKind.FINANCIAL_STATEMENT,))
    evaluation = badges.evaluate(org, today=TODAY)
    assert (evaluation.score, evaluation.level) == (85, BadgeLevel.SILVER)
    assert evaluation.next_level.level == BadgeLevel.GOLD
    # the score is enough for gold, the required rules are not
    assert evaluation.points_needed == 0
    assert [(r.code, r.required_for_next) for r in evaluation.missing_for_next_level] == [
        ("audit_report", True),
        ("consecutive_years", True),
    ]


def test_gold_needs_the_score_too(org):
    perfect(org, board=0, staff_full_time=0, staff_part_time=0, volunteers=0, main_activities="")
    evaluation = badges.evaluate(org, today=TODAY)
    assert evaluation.score == 75  # 100 - governance 10 - people 5 - activities 10
    assert evaluation.level == BadgeLevel.SILVER
    assert evaluation.points_needed == 10
    assert not any(r.required_for_next for r in evaluation.missing_for_next_level)
    weights = [r.weight for r in evaluation.missing_for_next_level]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.parametrize(
    "score,met,level",
    [
        (100, set(badges.WEIGHTS), BadgeLevel.GOLD),
        (84, set(badges.WEIGHTS), BadgeLevel.SILVER),
        (64, set(badges.WEIGHTS), BadgeLevel.BRONZE),
        (39, set(badges.WEIGHTS), BadgeLevel.NONE),
        (90, set(badges.WEIGHTS) - {"financial_statement"}, BadgeLevel.BRONZE),
        (90, set(badges.WEIGHTS) - {"recent_report"}, BadgeLevel.NONE),
        (95, set(badges.WEIGHTS) - {"consecutive_years"}, BadgeLevel.SILVER),
    ],
)
def test_level_for(score, met, level):
    assert badges.level_for(score, met) == level


def test_levels_at_least():
    assert badges.levels_at_least("silver") == ["silver", "gold"]
    assert badges.levels_at_least("bronze") == ["bronze", "silver", "gold"]


def test_evaluate_with_given_reports(org):
    """Callers that already hold the reports pass them (newest first or not)."""
    perfect(org)
    reports = list(reversed(list(org.transparency_reports.all())))
    evaluation = badges.evaluate(org, reports, today=TODAY)
    assert (evaluation.level, evaluation.score) == (BadgeLevel.GOLD, 100)


def test_drafts_and_submitted_reports_do_not_count(org):
    TransparencyReportFactory(organization=org, year=DUE)
    TransparencyReportFactory(organization=org, year=DUE - 1, submitted=True)
    assert badges.evaluate(org, today=TODAY).score == 0


def test_reasons_follow_the_language(org):
    publish(org, DUE, board=1)
    with translation.override("en"):
        english = results(badges.evaluate(org, today=TODAY))["governance"]
    assert english.title == "Governance listed"
    assert english.reason == "1 board member is listed with a role; at least 3 are needed."


# --- recompute and the nightly task -----------------------------------------------------------


def test_recompute_saves_and_is_idempotent(org):
    perfect(org)
    badge = badges_services.recompute(org, today=TODAY)
    assert (badge.level, badge.score, badge.year) == (BadgeLevel.GOLD, 100, DUE)
    assert badge.details["rules"] == {code: True for code in badges.WEIGHTS}
    stamp = OrganizationBadge.objects.get(pk=badge.pk).updated_at
    again = badges_services.recompute(org, today=TODAY)
    assert again.pk == badge.pk and OrganizationBadge.objects.count() == 1
    assert OrganizationBadge.objects.get(pk=badge.pk).updated_at == stamp  # nothing written


def test_recompute_updates_when_the_result_changes(org):
    perfect(org)
    badges_services.recompute(org, today=TODAY)
    badge = badges_services.recompute(org, today=datetime.date(DUE + 3, 7, 1))  # the 2025 report is too old
    assert (badge.level, badge.score, badge.year) == (BadgeLevel.NONE, 0, None)
    assert OrganizationBadge.objects.get(organization=org).level == BadgeLevel.NONE


def test_recompute_of_an_organisation_without_reports(org):
    badge = badges_services.recompute(org)
    assert (badge.level, badge.score, badge.year) == (BadgeLevel.NONE, 0, None)


def _publish_on_time_for_today(org, **kwargs):
    due = badges.due_year(timezone.localdate())
    return publish(org, due, submitted=moment(due + 1, 1, 15), **kwargs)


def test_recompute_badge_task(org):
    _publish_on_time_for_today(org, documents=(DocumentKind.FINANCIAL_STATEMENT,))
    assert tasks.recompute_badge.delay(org.pk).get() == BadgeLevel.SILVER
    assert OrganizationBadge.objects.get(organization=org).level == BadgeLevel.SILVER
    assert tasks.recompute_badge.delay(org.pk).get() == BadgeLevel.SILVER  # idempotent
    assert OrganizationBadge.objects.count() == 1
    assert tasks.recompute_badge.delay(999_999).get() == "skipped"


def test_nightly_task_recomputes_every_badge():
    with_report = factories.OrganizationFactory()
    _publish_on_time_for_today(with_report)
    stale = factories.OrganizationFactory()  # its report was withdrawn: the old badge must go
    OrganizationBadge.objects.create(organization=stale, level=BadgeLevel.GOLD, score=100, year=2020)
    nothing = factories.OrganizationFactory()
    assert tasks.recompute_all_badges.delay().get() == 2
    assert OrganizationBadge.objects.get(organization=with_report).level == BadgeLevel.BRONZE
    assert OrganizationBadge.objects.get(organization=stale).level == BadgeLevel.NONE
    assert not OrganizationBadge.objects.filter(organization=nothing).exists()
    # a second night changes nothing
    before = list(OrganizationBadge.objects.order_by("pk").values_list("level", "score", "updated_at"))
    tasks.recompute_all_badges.delay()
    assert (
        list(OrganizationBadge.objects.order_by("pk").values_list("level", "score", "updated_at")) == before
    )


def test_nightly_task_is_scheduled():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "transparency.tasks.recompute_all_badges"
    )
    assert entry["schedule"] <= 24 * 60 * 60
    assert tasks.recompute_all_badges.name == entry["task"]
