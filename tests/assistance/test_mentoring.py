"""Mentoring series: the permission matrix of every page (visible to the mentor, the
organisation's members and staff only, 404 to everyone else; only the mentor logs), the
services and workflow, progress against the plan, the giving figure, the reminder once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assistance.choices import MentoringStatus
from assistance.models import MentoringSeries, MentoringSession
from assistance.selectors.mentoring import progress, series_visible_to
from assistance.services import mentoring as services
from assistance.services.reminders import session_reminders_send
from assistance.tasks import send_reminders
from core.models import EmailOutbox, StatusChange
from organizations.models import Membership
from tests import factories
from tests.assistance.factories import ExpertFactory
from tests.factories import member_of
from tests.giving.factories import GivingRecordFactory
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = [
    "anonymous",
    "citizen",
    "org_editor",
    "org_viewer",
    "other_org_member",
    "mentor",
    "other_expert",
    "staff",
    "staff_no_2fa",
]
LOGIN, MFA = "login", "mfa"
TODAY = timezone.localdate


def _series(*, mentor=None, organization=None, staff=None, started_on=None):
    return services.series_create(
        actor=staff or factories.StaffFactory(),
        mentor=mentor or ExpertFactory(),
        organization=organization or factories.OrganizationFactory(),
        topic="Fundraising plan",
        goal="Three sources of income.",
        started_on=started_on or TODAY() - timedelta(days=30),
    )


@pytest.fixture
def world(monkeypatch):
    org = factories.OrganizationFactory()
    editor = member_of(org, Membership.Role.EDITOR)
    mentor = ExpertFactory()
    staff = factories.StaffFactory()
    no_2fa = factories.StaffFactory()
    monkeypatch.setattr(
        "accounts.middleware.staff_mfa_satisfied", lambda request: request.user.pk != no_2fa.pk
    )
    series = _series(mentor=mentor, organization=org, staff=staff)
    held = services.session_plan(
        actor=mentor.user, series=series, planned_on=TODAY() - timedelta(days=10), topic="Sources"
    )
    services.session_log(
        actor=mentor.user, session=held, held_on=TODAY() - timedelta(days=10), notes="Secret notes 42"
    )
    planned = services.session_plan(
        actor=mentor.user, series=series, planned_on=TODAY() + timedelta(days=7), topic="Diaspora"
    )
    return {
        "series": series,
        "held": held,
        "planned": planned,
        "roles": {
            "anonymous": None,
            "citizen": factories.UserFactory(),
            "org_editor": editor,
            "org_viewer": member_of(org, Membership.Role.VIEWER),
            "other_org_member": member_of(factories.OrganizationFactory(), Membership.Role.OWNER),
            "mentor": mentor.user,
            "other_expert": ExpertFactory().user,
            "staff": staff,
            "staff_no_2fa": no_2fa,
        },
    }


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302 and "/2fa/" in response["Location"], response.get("Location")
    else:
        assert response.status_code == expected, (response.status_code, response.content[:400])


def _matrix(**expected):
    assert set(expected) == set(ROLES), set(ROLES) ^ set(expected)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


SEES = dict(
    anonymous=404,
    citizen=404,
    org_editor=200,
    org_viewer=200,
    other_org_member=404,
    mentor=200,
    other_expert=404,
    staff=200,
    staff_no_2fa=MFA,
)


@_matrix(**SEES)
def test_series_page(client, world, role, expected):
    response = login(client, world["roles"][role]).get(
        reverse("assistance:series_detail", args=[world["series"].pk])
    )
    _check(response, expected)
    if expected == 200:
        body = response.content.decode()
        assert "Fundraising plan" in body and "Secret notes 42" in body and "Diaspora" in body


@_matrix(
    anonymous=LOGIN,
    citizen=200,
    org_editor=200,
    org_viewer=200,
    other_org_member=200,
    mentor=200,
    other_expert=200,
    staff=200,
    staff_no_2fa=200,
)
def test_series_list_shows_only_own_series(client, world, role, expected):
    response = login(client, world["roles"][role]).get(reverse("assistance:series_list"))
    _check(response, expected)
    if expected == 200:
        listed = "Fundraising plan" in response.content.decode()
        assert listed == (SEES[role] == 200)


@_matrix(
    anonymous=LOGIN,
    citizen=403,
    org_editor=403,
    org_viewer=403,
    other_org_member=403,
    mentor=403,
    other_expert=403,
    staff=200,
    staff_no_2fa=MFA,
)
def test_series_create_page(client, world, role, expected):
    _check(login(client, world["roles"][role]).get(reverse("assistance:series_create")), expected)


PLANS = dict(SEES, org_editor=403, org_viewer=403)
LOGS = dict(PLANS, staff=403)


@_matrix(**PLANS)
def test_plan_a_session_page(client, world, role, expected):
    url = reverse("assistance:session_add", args=[world["series"].pk])
    _check(login(client, world["roles"][role]).get(url), expected)


@_matrix(**PLANS)
def test_edit_a_planned_session_page(client, world, role, expected):
    url = reverse("assistance:session_edit", args=[world["series"].pk, world["planned"].pk])
    _check(login(client, world["roles"][role]).get(url), expected)


@_matrix(**LOGS)
def test_log_a_session_page(client, world, role, expected):
    url = reverse("assistance:session_log", args=[world["series"].pk, world["planned"].pk])
    _check(login(client, world["roles"][role]).get(url), expected)


@_matrix(**dict(SEES, org_editor=403, org_viewer=403, mentor=403, staff=302))
def test_cancel(client, world, role, expected):
    url = reverse("assistance:series_move", args=[world["series"].pk])
    response = login(client, world["roles"][role]).post(url, {"target": MentoringStatus.CANCELLED})
    _check(response, expected)
    world["series"].refresh_from_db()
    cancelled = world["series"].status == MentoringStatus.CANCELLED
    assert cancelled == (expected == 302)


def test_a_session_of_another_series_is_404(client, world):
    other = _series(mentor=world["series"].mentor)
    session = services.session_plan(actor=other.mentor.user, series=other, planned_on=TODAY(), topic="Other")
    url = reverse("assistance:session_log", args=[world["series"].pk, session.pk])
    assert login(client, world["roles"]["mentor"]).get(url).status_code == 404


# --- Pages: the flows -------------------------------------------------------------------------


def test_staff_open_a_series(client, world):
    staff = world["roles"]["staff"]
    mentor, org = ExpertFactory(), factories.OrganizationFactory()
    url = reverse("assistance:series_create")
    data = {
        "mentor": mentor.pk,
        "organization": org.pk,
        "topic": "Grants",
        "goal": "",
        "started_on": "2026-01-05",
    }
    response = login(client, staff).post(url, data)
    series = MentoringSeries.objects.get(topic="Grants")
    assert response.status_code == 302 and response["Location"].endswith(f"/mentoring/{series.pk}/")
    assert series.started_on == date(2026, 1, 5) and series.created_by == staff
    bad = login(client, staff).post(url, {**data, "started_on": "soon", "mentor": 999999})
    assert bad.status_code == 400 and MentoringSeries.objects.filter(topic="Grants").count() == 1


def test_mentor_plans_and_logs_a_session(client, world):
    series, mentor = world["series"], world["roles"]["mentor"]
    client = login(client, mentor)
    response = client.post(
        reverse("assistance:session_add", args=[series.pk]),
        {"planned_on": (TODAY() + timedelta(days=3)).isoformat(), "topic": "Businesses", "goals": "10 names"},
    )
    assert response.status_code == 302
    session = series.sessions.get(topic="Businesses")
    response = client.post(
        reverse("assistance:session_log", args=[series.pk, session.pk]),
        {"held_on": TODAY().isoformat(), "notes": "Went well", "next_steps": "Call them"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.held_on == TODAY() and session.notes == "Went well" and session.logged_by == mentor
    # The organisation reads the notes and the next steps.
    page = login(client, world["roles"]["org_viewer"]).get(
        reverse("assistance:series_detail", args=[series.pk])
    )
    assert "Went well" in page.content.decode() and "Call them" in page.content.decode()


def test_bad_input_is_a_400_with_the_message(client, world):
    series, client = world["series"], login(client, world["roles"]["mentor"])
    future = client.post(
        reverse("assistance:session_log", args=[series.pk, world["planned"].pk]),
        {"held_on": (TODAY() + timedelta(days=2)).isoformat(), "notes": "Early"},
    )
    assert future.status_code == 400 and "cannot be logged before it is held" in future.content.decode()
    before = client.post(
        reverse("assistance:session_add", args=[series.pk]),
        {"planned_on": (series.started_on - timedelta(days=1)).isoformat(), "topic": "Too early"},
    )
    assert before.status_code == 400 and not series.sessions.filter(topic="Too early").exists()
    empty = client.post(reverse("assistance:session_add", args=[series.pk]), {"planned_on": "x"})
    assert empty.status_code == 400
    held = client.get(reverse("assistance:session_edit", args=[series.pk, world["held"].pk]))
    assert held.status_code == 400 and "already held" in held.content.decode()
    bogus = client.post(reverse("assistance:series_move", args=[series.pk]), {"target": "nonsense"})
    assert bogus.status_code == 400


def test_list_query_count_is_flat(client, world, django_assert_max_num_queries):
    staff = world["roles"]["staff"]
    for _ in range(5):
        _series()
    client = login(client, staff)
    client.get(reverse("assistance:series_list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assistance:series_list")).status_code == 200


# --- Services and workflow --------------------------------------------------------------------


def test_create_writes_the_history_and_only_staff_create():
    series = _series()
    assert StatusChange.objects.filter(object_id=series.pk, workflow="assistance.mentoring").count() == 1
    with pytest.raises(PermissionDenied):
        services.series_create(
            actor=factories.UserFactory(),
            mentor=ExpertFactory(),
            organization=factories.OrganizationFactory(),
            topic="x",
            started_on=TODAY(),
        )


def test_a_mentor_does_not_mentor_their_own_organisation():
    mentor = ExpertFactory()
    org = factories.OrganizationFactory()
    Membership.objects.create(user=mentor.user, organization=org, role=Membership.Role.VIEWER)
    with pytest.raises(ValidationError):
        _series(mentor=mentor, organization=org)


def test_only_the_mentor_logs(world):
    for role in ("staff", "org_editor", "other_expert"):
        with pytest.raises(PermissionDenied):
            services.session_log(
                actor=world["roles"][role], session=world["planned"], held_on=TODAY(), notes="x"
            )


def test_workflow_complete_then_nothing_more(world):
    series, mentor = world["series"], world["roles"]["mentor"]
    series = services.series_move(actor=mentor, series=series, target=MentoringStatus.COMPLETED)
    assert series.status == MentoringStatus.COMPLETED
    with pytest.raises(ValidationError):
        services.series_move(actor=world["roles"]["staff"], series=series, target=MentoringStatus.CANCELLED)
    with pytest.raises(PermissionDenied):  # a finished series takes no more sessions
        services.session_plan(actor=mentor, series=series, planned_on=TODAY(), topic="Late")
    with pytest.raises(PermissionDenied):
        services.series_move(
            actor=mentor, series=_series(mentor=series.mentor), target=MentoringStatus.CANCELLED
        )


# --- Progress ----------------------------------------------------------------------------------


def test_progress_against_the_plan():
    today = date(2026, 6, 10)
    s = lambda d, held=None, pk=1: MentoringSession(pk=pk, planned_on=d, topic="t", held_on=held)  # noqa: E731
    sessions = [
        s(date(2026, 5, 1), date(2026, 5, 1), 1),
        s(date(2026, 5, 20), None, 2),  # missed
        s(date(2026, 6, 10), None, 3),  # today: the next one
        s(date(2026, 7, 1), None, 4),
    ]
    result = progress(sessions, today=today)
    assert (result.planned, result.held, result.missed, result.percent) == (4, 1, 1, 25)
    assert result.next_session.pk == 3
    assert progress([], today=today).percent == 0 and progress([], today=today).next_session is None


def test_list_counts_planned_and_held(world):
    row = series_visible_to(world["roles"]["org_viewer"]).get()
    assert (row.planned_count, row.held_count) == (2, 1)


# --- The giving figure ---------------------------------------------------------------------


def test_gifts_received_since_on_the_series_page(client, world):
    series = world["series"]
    org = series.organization
    GivingRecordFactory(
        verified=True, recipient_organization=org, date=series.started_on, amount=Decimal("100")
    )
    GivingRecordFactory(verified=True, recipient_organization=org, date=TODAY(), amount=Decimal("50.50"))
    GivingRecordFactory(recipient_organization=org, date=TODAY(), amount=Decimal("999"))  # not verified
    GivingRecordFactory(
        verified=True,
        recipient_organization=org,
        date=series.started_on - timedelta(days=1),
        amount=Decimal("7"),
    )
    from giving.selectors import gifts_received_since

    assert gifts_received_since(org, series.started_on) == {"count": 2, "total": Decimal("150.50")}
    assert gifts_received_since(factories.OrganizationFactory(), series.started_on) == {
        "count": 0,
        "total": Decimal("0"),
    }
    page = login(client, world["roles"]["org_editor"]).get(
        reverse("assistance:series_detail", args=[series.pk])
    )
    assert "2 verified gifts" in page.content.decode()


# --- The reminder --------------------------------------------------------------------------


def test_session_tomorrow_reminder_once_to_mentor_and_editors(world):
    series = world["series"]
    owner = member_of(series.organization, Membership.Role.OWNER)
    session = services.session_plan(
        actor=world["roles"]["mentor"],
        series=series,
        planned_on=TODAY() + timedelta(days=1),
        topic="Tomorrow",
    )
    EmailOutbox.objects.all().delete()
    assert session_reminders_send(today=TODAY() - timedelta(days=1)) == 0
    assert session_reminders_send() == 3  # the mentor, the editor, the owner (not the viewer)
    assert {m.to for m in EmailOutbox.objects.all()} == {
        world["roles"]["mentor"].email,
        world["roles"]["org_editor"].email,
        owner.email,
    }
    assert session_reminders_send() == 0 and send_reminders() == 0
    # Moved to another day: it goes again the day before.
    services.session_edit(
        actor=world["roles"]["mentor"], session=session, planned_on=TODAY() + timedelta(days=2), topic="Moved"
    )
    assert session_reminders_send() == 0
    assert session_reminders_send(today=TODAY() + timedelta(days=1)) == 3


def test_reminder_in_the_recipients_language(world):
    mentor, editor = world["roles"]["mentor"], world["roles"]["org_editor"]
    for user, language in ((mentor, "sq"), (editor, "sr-latn")):
        user.full_name, user.preferred_language = "Ana", language
        user.save(update_fields=["full_name", "preferred_language"])
    services.session_plan(
        actor=mentor, series=world["series"], planned_on=TODAY() + timedelta(days=1), topic="T"
    )
    EmailOutbox.objects.all().delete()
    session_reminders_send()
    assert "Përshëndetje Ana," in EmailOutbox.objects.get(to=mentor.email).body_text
    assert "Dobar dan, Ana," in EmailOutbox.objects.get(to=editor.email).body_text


def test_no_reminder_for_a_cancelled_series_or_a_held_session(world):
    series, mentor = world["series"], world["roles"]["mentor"]
    session = services.session_plan(
        actor=mentor, series=series, planned_on=TODAY() + timedelta(days=1), topic="T"
    )
    MentoringSession.objects.filter(pk=session.pk).update(held_on=TODAY())
    assert session_reminders_send() == 0
    MentoringSession.objects.filter(pk=session.pk).update(held_on=None)
    services.series_move(actor=world["roles"]["staff"], series=series, target=MentoringStatus.CANCELLED)
    assert session_reminders_send() == 0


def test_session_reminders_read_only_the_reminders_of_tomorrows_sessions(world):
    """The sweep read every session reminder ever sent: now only tomorrow's sessions'."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assistance.services.reminders import SESSION_TOMORROW
    from core.models import SentReminder
    from tests.helpers import sent_reminder_reads

    mentor = world["roles"]["mentor"]
    session = services.session_plan(
        actor=mentor, series=world["series"], planned_on=TODAY() + timedelta(days=1), topic="T"
    )
    SentReminder.objects.create(kind=SESSION_TOMORROW, object_id=world["held"].pk, user=mentor)
    EmailOutbox.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        assert session_reminders_send() == 2  # the mentor and the editor
    assert sent_reminder_reads(captured, SESSION_TOMORROW) == [{session.pk}]
    assert session_reminders_send() == 0
