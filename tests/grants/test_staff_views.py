"""KCSF's pages: permission matrix, screening, reviewers, more information, decisions,
messages, query counts and the three languages."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import StatusChange
from grants.choices import ApplicationStatus, AssignmentStatus, Eligibility, Stage
from grants.models import Application, Grant, Message, ReviewAssignment
from grants.services import assessment
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import CallFactory, add_form, submitted_application
from tests.grants.test_staff_fixtures import (
    LOGIN,
    build_world,
    check,
    login,
    matrix,
    reviewer,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world()


def _state(application):
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.eligibility,
        application.reviews_assigned,
        StatusChange.objects.filter(application=application).count(),
        ReviewAssignment.objects.filter(application=application).count(),
        Message.objects.filter(application=application).count(),
        Grant.objects.filter(application=application).exists(),
    )


# --- permission matrix: the lists ------------------------------------------------------------

LIST_EXPECTED = dict(
    anonymous=LOGIN,
    applicant=403,
    other_applicant=403,
    reviewer_assigned=403,
    reviewer_not_assigned=403,
    org_editor=403,
    staff=200,
)


@matrix(**LIST_EXPECTED)
@pytest.mark.parametrize("name", ["staff_calls", "staff_applications", "ranking"])
def test_lists_matrix(client, world, role, expected, name):
    url = reverse(f"grants:{name}", kwargs={} if name == "staff_calls" else {"slug": world.call.slug})
    response = login(client, world.users[role]).get(url)
    check(response, expected)
    if expected == 200:
        shown = world.call.title_en if name == "staff_calls" else world.application.reference
        assert shown in response.content.decode()


# --- permission matrix: one application ------------------------------------------------------

DETAIL_EXPECTED = dict(
    anonymous=LOGIN,
    applicant=403,
    other_applicant=404,
    reviewer_assigned=403,
    reviewer_not_assigned=404,
    org_editor=403,
    staff=200,
)


@matrix(**DETAIL_EXPECTED)
def test_application_page_matrix(client, world, role, expected):
    response = login(client, world.users[role]).get(
        reverse("grants:staff_application", args=[world.application.pk])
    )
    check(response, expected)
    if expected == 200:
        html = response.content.decode()
        assert world.application.title in html
        assert "The river is full of plastic." in html


def _posts(world):
    app = world.application
    assignment = app.assignments.get()
    return {
        "staff_screen": ({"pk": app.pk}, {"decision": "ineligible", "reason": "No registration."}),
        "staff_assign": ({"pk": app.pk}, {"reviewers": [world.users["reviewer_not_assigned"].pk]}),
        "staff_unassign": ({"pk": app.pk, "assignment_pk": assignment.pk}, {}),
        "staff_request_changes": ({"pk": app.pk}, {"note": "Add the CV."}),
        "staff_decide": ({"pk": app.pk}, {"decision": "reject", "note": "Weak."}),
        "staff_message": ({"pk": app.pk}, {"body": "Hello from KCSF"}),
    }


@matrix(
    anonymous=LOGIN,
    applicant=403,
    other_applicant=404,
    reviewer_assigned=403,
    reviewer_not_assigned=404,
    org_editor=403,
    staff=302,
)
@pytest.mark.parametrize(
    "name",
    [
        "staff_screen",
        "staff_assign",
        "staff_unassign",
        "staff_request_changes",
        "staff_decide",
        "staff_message",
    ],
)
def test_posts_matrix(client, world, role, expected, name):
    kwargs, data = _posts(world)[name]
    app = world.application
    if name == "staff_screen":  # screening happens on a freshly submitted application
        app = _fresh_org_application(world)
        kwargs = {"pk": app.pk}
    before = _state(app)
    response = login(client, world.users[role]).post(reverse(f"grants:{name}", kwargs=kwargs), data)
    check(response, expected)
    if expected != 302:
        assert _state(app) == before
    else:
        assert _state(app) != before


def _fresh_org_application(world):
    """A second, unscreened application of the same organisation (another call)."""
    call = CallFactory(with_form=True)
    application = submitted_application(
        call=call,
        applicant=world.users["applicant"],
        applicant_type="organization",
        organization=world.organization,
    )
    person = world.users["reviewer_assigned"]
    assessment.reviewers_assign(actor=world.users["staff"], application=application, reviewers=[person])
    assessment.conflict_declare(actor=person, application=application, has_conflict=False)
    return application


def test_get_on_post_views_is_405(client, world):
    client.force_login(world.users["staff"])
    assert client.get(reverse("grants:staff_decide", args=[world.application.pk])).status_code == 405


def test_unknown_and_draft_ids_are_404(client, world):
    client.force_login(world.users["staff"])
    assert client.get(reverse("grants:staff_application", args=[999999])).status_code == 404
    draft = Application.objects.create(
        call=world.call, applicant=UserFactory(), applicant_type="individual", stage=Stage.FULL
    )
    assert client.get(reverse("grants:staff_application", args=[draft.pk])).status_code == 404
    assert client.get(reverse("grants:staff_applications", args=["no-such-call"])).status_code == 404


# --- screening -------------------------------------------------------------------------------


def _submitted(call=None):
    return submitted_application(call=call or CallFactory(with_form=True))


def test_screen_eligible(client, staff_user, django_capture_on_commit_callbacks):
    app = _submitted()
    client.force_login(staff_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:staff_screen", args=[app.pk]), {"decision": "eligible"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW and app.eligibility == Eligibility.ELIGIBLE
    assert app.status_changes.last().actor == staff_user
    assert mail.outbox == []  # eligible: nothing to tell yet


def test_screen_ineligible_needs_a_reason_and_emails_it(
    client, staff_user, django_capture_on_commit_callbacks
):
    app = _submitted()
    client.force_login(staff_user)
    response = client.post(reverse("grants:staff_screen", args=[app.pk]), {"decision": "ineligible"})
    assert response.status_code == 400
    assert "Say why the application is ineligible." in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:staff_screen", args=[app.pk]),
            {"decision": "ineligible", "reason": "Not registered in Kosovo."},
        )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.INELIGIBLE and app.eligibility_reason == "Not registered in Kosovo."
    assert [m.to for m in mail.outbox] == [[app.applicant.email]]
    assert "Not registered in Kosovo." in mail.outbox[0].body


def test_buttons_follow_available_transitions(client, staff_user, world):
    client.force_login(staff_user)
    html = client.get(reverse("grants:staff_application", args=[_submitted().pk])).content.decode()
    assert 'href="#screen-title"' in html and "Eligible: send to review" in html
    assert 'href="#decide-title"' not in html
    html = client.get(reverse("grants:staff_application", args=[world.application.pk])).content.decode()
    assert 'href="#decide-title"' in html and 'href="#screen-title"' not in html


def test_screen_twice_is_400(client, staff_user):
    app = _submitted()
    client.force_login(staff_user)
    client.post(reverse("grants:staff_screen", args=[app.pk]), {"decision": "eligible"})
    response = client.post(reverse("grants:staff_screen", args=[app.pk]), {"decision": "eligible"})
    assert response.status_code == 400
    assert StatusChange.objects.filter(application=app, to_status=S.UNDER_REVIEW).count() == 1


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}, {"decision": ["x"] * 3, "reason": "x" * 6000}])
def test_screen_malformed_is_400(client, staff_user, data):
    app = _submitted()
    client.force_login(staff_user)
    assert client.post(reverse("grants:staff_screen", args=[app.pk]), data).status_code == 400
    app.refresh_from_db()
    assert app.status == S.SUBMITTED


# --- reviewers -------------------------------------------------------------------------------


def test_assign_from_pool_emails_reviewer(client, world, django_capture_on_commit_callbacks):
    person = world.users["reviewer_not_assigned"]
    client.force_login(world.users["staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:staff_assign", args=[world.application.pk]), {"reviewers": [person.pk]}
        )
    assert response.status_code == 302
    assert world.application.assignments.filter(reviewer=person, status=AssignmentStatus.ASSIGNED).exists()
    assert [m.to for m in mail.outbox] == [[person.email]]
    world.application.refresh_from_db()
    assert world.application.reviews_assigned == 2


def test_assign_outside_pool_is_refused(client, world):
    outsider = UserFactory()
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("grants:staff_assign", args=[world.application.pk]), {"reviewers": [outsider.pk]}
    )
    assert response.status_code == 400
    assert not world.application.assignments.filter(reviewer=outsider).exists()


def test_assign_member_of_the_applicant_org_is_refused(client, world):
    insider = reviewer()
    Membership.objects.create(organization=world.organization, user=insider, role=Membership.Role.VIEWER)
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("grants:staff_assign", args=[world.application.pk]), {"reviewers": [insider.pk]}
    )
    assert response.status_code == 400
    assert "on the applicant" in response.content.decode()
    assert not world.application.assignments.filter(reviewer=insider).exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999", "²"])
def test_assign_malformed_is_400(client, world, value):
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("grants:staff_assign", args=[world.application.pk]), {"reviewers": [value]}
    )
    assert response.status_code == 400
    assert world.application.assignments.count() == 1


def test_unassign_not_submitted_only(client, world):
    staff = world.users["staff"]
    app = world.application
    assignment = app.assignments.get()
    other = reviewer()
    assessment.reviewers_assign(actor=staff, application=app, reviewers=[other])
    submitted = app.assignments.get(reviewer=other)
    assessment.conflict_declare(actor=other, application=app, has_conflict=False)
    assessment.review_save(
        actor=other,
        application=app,
        scores={c.pk: 3 for c in app.call.criteria.all()},
        recommendation="fund",
        submit=True,
    )
    client.force_login(staff)
    response = client.post(reverse("grants:staff_unassign", args=[app.pk, submitted.pk]))
    assert response.status_code == 400
    assert ReviewAssignment.objects.filter(pk=submitted.pk).exists()
    response = client.post(reverse("grants:staff_unassign", args=[app.pk, assignment.pk]))
    assert response.status_code == 302
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    # an assignment of another application through this one's URL: 404
    other_assignment = ReviewAssignment.objects.create(
        application=world.other_application, stage=Stage.FULL, reviewer=reviewer(), assigned_by=staff
    )
    response = client.post(reverse("grants:staff_unassign", args=[app.pk, other_assignment.pk]))
    assert response.status_code == 404


def test_page_shows_assignments_with_coi_notes(client, world):
    staff = world.users["staff"]
    declined = reviewer(full_name="Dafina Declined")
    assessment.reviewers_assign(actor=staff, application=world.application, reviewers=[declined])
    assessment.conflict_declare(
        actor=declined, application=world.application, has_conflict=True, note="My cousin runs it."
    )
    client.force_login(staff)
    html = client.get(reverse("grants:staff_application", args=[world.application.pk])).content.decode()
    assert "Dafina Declined" in html and "My cousin runs it." in html
    assert "Declined: conflict of interest" in html


# --- more information ------------------------------------------------------------------------


def test_request_changes(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["staff"])
    url = reverse("grants:staff_request_changes", args=[world.application.pk])
    assert client.post(url, {"note": "  "}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"note": "Add the CV of the lead."}).status_code == 302
    world.application.refresh_from_db()
    assert world.application.status == S.CHANGES_REQUESTED
    assert mail.outbox and "Add the CV of the lead." in mail.outbox[0].body


# --- decisions -------------------------------------------------------------------------------


def _decide(client, app, **data):
    return client.post(reverse("grants:staff_decide", args=[app.pk]), data)


def test_approve_within_budget(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(
            client, world.application, decision="approve", amount="4000.00", note="Report monthly."
        )
    assert response.status_code == 302
    world.application.refresh_from_db()
    assert world.application.status == S.APPROVED
    assert world.application.grant.amount == Decimal("4000.00")
    assert world.application.grant.conditions == "Report monthly."
    assert mail.outbox


def test_approve_form_shows_budget_and_default_amount(client, world):
    client.force_login(world.users["staff"])
    response = client.get(reverse("grants:staff_application", args=[world.application.pk]))
    html = response.content.decode()
    assert (
        'value="4,500.00"' in html
    )  # the requested amount by default, as the page writes amounts (MoneyField)
    assert "€50,000.00" in html  # the call's budget
    assert "Already awarded" in html and "Left" in html


def test_over_budget_approval_is_refused(client, world):
    call = world.call
    call.total_budget = Decimal("12000.00")
    call.max_amount = Decimal("10000.00")
    call.save()
    Grant.objects.create(application=world.other_application, call=call, amount=Decimal("9000.00"))
    client.force_login(world.users["staff"])
    before = _state(world.application)
    response = _decide(client, world.application, decision="approve", amount="4000")
    assert response.status_code == 400
    html = response.content.decode()
    assert ("would exceed the call" in html and "3,000.00" in html) or "3000.00" in html
    assert _state(world.application) == before


def test_reject_requires_reason(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["staff"])
    response = _decide(client, world.application, decision="reject", note="")
    assert response.status_code == 400
    assert "Give the reason of the rejection." in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.status == S.UNDER_REVIEW
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(client, world.application, decision="reject", note="Out of scope.").status_code == 302
    world.application.refresh_from_db()
    assert world.application.status == S.REJECTED and world.application.decision_note == "Out of scope."
    assert mail.outbox and "Out of scope." in mail.outbox[0].body


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "approve", "amount": "abc"},
        {"decision": "approve", "amount": "1e999"},
        {"decision": "approve", "amount": "9" * 40},
        {"decision": "approve", "amount": "-5"},
        {"decision": "approve", "amount": ""},
        {"decision": "approve", "amount": "4600"},  # more than requested
        {"decision": "delete"},
        {},
    ],
)
def test_decide_malformed_is_400(client, world, data):
    client.force_login(world.users["staff"])
    before = _state(world.application)
    assert client.post(reverse("grants:staff_decide", args=[world.application.pk]), data).status_code == 400
    assert _state(world.application) == before


def test_decide_on_a_submitted_application_is_400(client, staff_user):
    app = _submitted()
    client.force_login(staff_user)
    response = _decide(client, app, decision="approve", amount="1000")
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == S.SUBMITTED


def test_invite_a_concept_note(client, staff_user, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    call = CallFactory(two_stage=True, full_proposal_closes_at=timezone.now() + timedelta(days=60))
    add_form(call, stage=Stage.CONCEPT)
    add_form(call, stage=Stage.FULL)
    app = submitted_application(call=call)
    assert app.stage == Stage.CONCEPT
    assessment.application_screen(actor=staff_user, application=app, eligible=True)
    client.force_login(staff_user)
    page = client.get(reverse("grants:staff_application", args=[app.pk])).content.decode()
    assert 'value="invite"' in page and 'value="approve"' not in page
    # approving a concept note is refused
    assert _decide(client, app, decision="approve", amount="1000").status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(client, app, decision="invite", note="Welcome to stage two.").status_code == 302
    app.refresh_from_db()
    assert app.status == S.INVITED and app.stage == Stage.FULL
    assert mail.outbox


# --- messages --------------------------------------------------------------------------------


def test_staff_message(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["staff"])
    url = reverse("grants:staff_message", args=[world.application.pk])
    assert client.post(url, {"body": ""}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"body": "Please call us."}).status_code == 302
    message = Message.objects.get(application=world.application)
    assert message.from_staff and message.author == world.users["staff"]
    assert mail.outbox
    html = client.get(reverse("grants:staff_application", args=[world.application.pk])).content.decode()
    assert "Please call us." in html
    assert f'action="{url}"' in html  # the staff reply form comes back to this page


def test_page_shows_timeline_and_reviews(client, world):
    app = world.application
    person = world.users["reviewer_assigned"]
    assessment.review_save(
        actor=person,
        application=app,
        scores={c.pk: 4 for c in app.call.criteria.all()},
        comment="Strong local roots.",
        recommendation="fund",
        submit=True,
    )
    client.force_login(world.users["staff"])
    html = client.get(reverse("grants:staff_application", args=[app.pk])).content.decode()
    assert "Strong local roots." in html
    assert "Eligible, under review" in html  # internal label in the timeline
    assert "80.00" in html


# --- query counts ----------------------------------------------------------------------------


def _seed(call, n):
    for _ in range(n):
        submitted_application(call=call)


def _queries(client, url):
    client.get(url)  # warm: the menu's flags are worked out once, then kept (core.navigation)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_staff_lists_query_counts_do_not_grow(client, staff_user):
    call = CallFactory(with_form=True)
    _seed(call, 2)
    CallFactory()
    client.force_login(staff_user)
    urls = [
        reverse("grants:staff_calls"),
        reverse("grants:staff_applications", args=[call.slug]),
        reverse("grants:ranking", args=[call.slug]),
    ]
    first = [_queries(client, url) for url in urls]
    _seed(call, 4)
    CallFactory()
    CallFactory()
    assert [_queries(client, url) for url in urls] == first


# --- filters and drafts ----------------------------------------------------------------------


def test_application_list_filters_and_drafts(client, world):
    Application.objects.create(call=world.call, applicant=UserFactory(), applicant_type="individual")
    client.force_login(world.users["staff"])
    url = reverse("grants:staff_applications", args=[world.call.slug])
    html = client.get(url).content.decode()
    assert "1 draft not submitted yet" in html
    assert world.application.reference in html and world.other_application.reference in html
    html = client.get(url, {"status": S.UNDER_REVIEW}).content.decode()
    assert world.application.reference in html and world.other_application.reference not in html
    html = client.get(url, {"applicant_type": "individual"}).content.decode()
    assert world.application.reference not in html and world.other_application.reference in html
    html = client.get(url, {"q": world.organization.name}).content.decode()
    assert world.application.reference in html and world.other_application.reference not in html
    html = client.get(url, {"q": world.other_application.reference}).content.decode()
    assert world.other_application.reference in html and world.application.reference not in html
    # malformed filters: 200, no crash
    assert client.get(url, {"status": "nope", "municipality": "x", "page": "abc"}).status_code == 200


def test_staff_calls_counts(client, world):
    StaffFactory()
    client.force_login(world.users["staff"])
    response = client.get(reverse("grants:staff_calls"))
    call = next(c for c in response.context["calls"] if c.pk == world.call.pk)
    assert call.n_sent == 2 and call.n_under_review == 1 and call.n_submitted == 1
    assert call.total_requested == Decimal("9000.00")
    assert call.awarded == Decimal("0.00")


# --- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_pages_render_in_each_language(client, world, language):
    client.force_login(world.users["staff"])
    with translation.override(language):
        urls = [
            reverse("grants:staff_calls"),
            reverse("grants:staff_applications", args=[world.call.slug]),
            reverse("grants:ranking", args=[world.call.slug]),
            reverse("grants:staff_application", args=[world.application.pk]),
        ]
    for url in urls:
        assert url.startswith(f"/{language}/")
        response = client.get(url)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_build_world_without_clearance(db):
    world = build_world(cleared=False)
    assert world.application.assignments.get().status == AssignmentStatus.ASSIGNED
