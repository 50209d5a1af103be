"""The reviewer's pages: permission matrix, the conflict-of-interest gate, scoring,
other reviews hidden until one's own is sent, my reviews and its query count."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from grants.choices import AssignmentStatus
from grants.models import ReviewAssignment, Score
from grants.services import assessment
from tests.grants.factories import CallFactory, submitted_application
from tests.grants.test_staff_fixtures import LOGIN, build_world, check, login, matrix, reviewer

pytestmark = pytest.mark.django_db
A = AssignmentStatus
TITLE = "Clean river of the organisation"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world(cleared=True)


@pytest.fixture
def gated(db):
    return build_world(cleared=False)


def _assignment(world, role="reviewer_assigned"):
    return ReviewAssignment.objects.get(application=world.application, reviewer=world.users[role])


def _state(world):
    return sorted(
        ReviewAssignment.objects.filter(application=world.application).values_list(
            "reviewer_id", "status", "comment", "recommendation", "coi_note"
        )
    ), Score.objects.filter(assignment__application=world.application).count()


# --- permission matrix ----------------------------------------------------------------------

NOT_ASSIGNED = dict(
    anonymous=LOGIN,
    applicant=404,
    other_applicant=404,
    reviewer_not_assigned=404,
    org_editor=404,
    staff=404,
)


@matrix(reviewer_assigned=200, **NOT_ASSIGNED)
def test_review_page_matrix(client, world, role, expected):
    response = login(client, world.users[role]).get(reverse("grants:review", args=[world.application.pk]))
    check(response, expected)
    if expected == 200:
        assert TITLE in response.content.decode()


@matrix(
    anonymous=LOGIN,
    applicant=200,
    other_applicant=200,
    reviewer_assigned=200,
    reviewer_not_assigned=200,
    org_editor=200,
    staff=200,
)
def test_my_reviews_matrix(client, world, role, expected):
    response = login(client, world.users[role]).get(reverse("grants:my_reviews"))
    check(response, expected)
    if expected == 200:
        shown = world.application.reference in response.content.decode()
        assert shown == (role == "reviewer_assigned")


@matrix(reviewer_assigned=302, **NOT_ASSIGNED)
def test_coi_post_matrix(client, gated, role, expected):
    before = _state(gated)
    response = login(client, gated.users[role]).post(
        reverse("grants:review_coi", args=[gated.application.pk]), {"has_conflict": "no"}
    )
    check(response, expected)
    if expected == 302:
        assert _assignment(gated).status == A.ACCEPTED
    else:
        assert _state(gated) == before


@matrix(reviewer_assigned=302, **NOT_ASSIGNED)
def test_save_post_matrix(client, world, role, expected):
    before = _state(world)
    criteria = world.call.criteria.all()
    data = {f"score_{c.pk}": "3" for c in criteria} | {"recommendation": "fund", "action": "save"}
    response = login(client, world.users[role]).post(
        reverse("grants:review_save", args=[world.application.pk]), data
    )
    check(response, expected)
    if expected == 302:
        assert Score.objects.filter(assignment=_assignment(world)).count() == 2
    else:
        assert _state(world) == before


def test_unknown_application_is_404(client, world):
    client.force_login(world.users["reviewer_assigned"])
    assert client.get(reverse("grants:review", args=[999999])).status_code == 404


# --- the conflict-of-interest gate -----------------------------------------------------------


def test_content_hidden_until_no_conflict_declared(client, gated):
    person = gated.users["reviewer_assigned"]
    client.force_login(person)
    url = reverse("grants:review", args=[gated.application.pk])
    html = client.get(url).content.decode()
    assert TITLE not in html
    assert "The river is full of plastic." not in html
    assert "conflict of interest" in html
    # a reviewer who has not declared cannot save a review either
    response = client.post(reverse("grants:review_save", args=[gated.application.pk]), {"action": "save"})
    assert response.status_code == 403
    response = client.post(reverse("grants:review_coi", args=[gated.application.pk]), {"has_conflict": "no"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert TITLE in html and "The river is full of plastic." in html
    # declaring twice: 400, nothing changes
    response = client.post(
        reverse("grants:review_coi", args=[gated.application.pk]), {"has_conflict": "yes", "note": "x"}
    )
    assert response.status_code == 400
    assert _assignment(gated).status == A.ACCEPTED


def test_conflict_needs_a_note_then_declines(client, gated, django_capture_on_commit_callbacks):
    client.force_login(gated.users["reviewer_assigned"])
    url = reverse("grants:review_coi", args=[gated.application.pk])
    response = client.post(url, {"has_conflict": "yes", "note": ""})
    assert response.status_code == 400
    assert "Describe the conflict of interest." in response.content.decode()
    assert _assignment(gated).status == A.ASSIGNED
    for bad in ({}, {"has_conflict": "perhaps"}):
        assert client.post(url, bad).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"has_conflict": "yes", "note": "I am on their board."})
    assert response.status_code == 302
    assert _assignment(gated).status == A.CONFLICTED
    assert [m.to for m in mail.outbox] == [[gated.users["staff"].email]]  # who assigned is told
    html = client.get(reverse("grants:review", args=[gated.application.pk])).content.decode()
    assert "declined" in html and TITLE not in html


# --- scoring ---------------------------------------------------------------------------------


def _scores(world, value, **extra):
    data = {f"score_{c.pk}": value for c in world.call.criteria.all()}
    return data | extra


@pytest.mark.parametrize("value", ["abc", "-1", "6", "1.5", "99999999999999999999", "1e3"])
def test_malformed_scores_are_400_and_nothing_saved(client, world, value):
    client.force_login(world.users["reviewer_assigned"])
    before = _state(world)
    response = client.post(
        reverse("grants:review_save", args=[world.application.pk]),
        _scores(world, value, recommendation="fund", action="submit"),
    )
    assert response.status_code == 400
    assert _state(world) == before


def test_bad_recommendation_is_400(client, world):
    client.force_login(world.users["reviewer_assigned"])
    response = client.post(
        reverse("grants:review_save", args=[world.application.pk]),
        _scores(world, "3", recommendation="maybe", action="save"),
    )
    assert response.status_code == 400
    assert Score.objects.count() == 0


def test_draft_then_submit(client, world):
    client.force_login(world.users["reviewer_assigned"])
    url = reverse("grants:review_save", args=[world.application.pk])
    criteria = list(world.call.criteria.all())
    # a draft may be partial
    response = client.post(url, {f"score_{criteria[0].pk}": "4", "comment": "First look.", "action": "save"})
    assert response.status_code == 302
    assignment = _assignment(world)
    assert assignment.status == A.ACCEPTED and assignment.comment == "First look."
    page = client.get(reverse("grants:review", args=[world.application.pk])).content.decode()
    assert "First look." in page
    # submitting an incomplete review: 400, the draft is kept
    response = client.post(url, {f"score_{criteria[0].pk}": "4", "action": "submit"})
    assert response.status_code == 400
    assert "Score" in response.content.decode()
    assert _assignment(world).status == A.ACCEPTED
    assert Score.objects.filter(assignment=assignment).count() == 1
    response = client.post(
        url,
        _scores(world, "4", recommendation="fund", comment="Good.", action="submit")
        | {f"comment_{criteria[0].pk}": "Very relevant"},
    )
    assert response.status_code == 302
    assignment = _assignment(world)
    assert assignment.status == A.SUBMITTED and assignment.weighted_score == 80
    assert Score.objects.get(assignment=assignment, criterion=criteria[0]).comment == "Very relevant"
    world.application.refresh_from_db()
    assert world.application.reviews_done == 1 and world.application.average_score == 80
    # a submitted review cannot change
    response = client.post(url, _scores(world, "1", recommendation="do_not_fund", action="submit"))
    assert response.status_code == 400
    assert _assignment(world).weighted_score == 80


def test_other_reviews_hidden_until_own_submitted(client, world):
    staff = world.users["staff"]
    app = world.application
    second = reviewer(full_name="Secret Second")
    assessment.reviewers_assign(actor=staff, application=app, reviewers=[second])
    assessment.conflict_declare(actor=second, application=app, has_conflict=False)
    assessment.review_save(
        actor=second,
        application=app,
        scores={c.pk: 5 for c in app.call.criteria.all()},
        comment="Outstanding river work.",
        recommendation="fund",
        submit=True,
    )
    client.force_login(world.users["reviewer_assigned"])
    url = reverse("grants:review", args=[app.pk])
    html = client.get(url).content.decode()
    assert "Outstanding river work." not in html
    client.post(
        reverse("grants:review_save", args=[app.pk]),
        _scores(world, "2", recommendation="do_not_fund", comment="Weak plan.", action="submit"),
    )
    html = client.get(url).content.decode()
    assert "Outstanding river work." in html and "Weak plan." in html
    assert "Reviewer 1" in html
    assert "Secret Second" not in html and second.email not in html


def test_no_form_once_decided(client, world):
    assessment.application_decide(
        actor=world.users["staff"], application=world.application, decision="reject", note="No."
    )
    client.force_login(world.users["reviewer_assigned"])
    html = client.get(reverse("grants:review", args=[world.application.pk])).content.decode()
    assert "no longer under review" in html
    response = client.post(
        reverse("grants:review_save", args=[world.application.pk]),
        _scores(world, "3", recommendation="fund", action="submit"),
    )
    assert response.status_code == 400


# --- my reviews: query count -----------------------------------------------------------------


def test_my_reviews_query_count_does_not_grow(client, staff_user):
    person = reviewer()
    call = CallFactory(with_form=True)

    def assign(n):
        for _ in range(n):
            app = submitted_application(call=call)
            assessment.reviewers_assign(actor=staff_user, application=app, reviewers=[person])

    assign(2)
    client.force_login(person)
    url = reverse("grants:my_reviews")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    assign(4)
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert len(response.context["assignments"]) == 6
    assert len(first.captured_queries) == len(second.captured_queries)


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_pages_render_in_each_language(client, gated, language):
    person = gated.users["reviewer_assigned"]
    client.force_login(person)
    with translation.override(language):
        list_url = reverse("grants:my_reviews")
        review_url = reverse("grants:review", args=[gated.application.pk])
        coi_url = reverse("grants:review_coi", args=[gated.application.pk])
    for url in (list_url, review_url):
        response = client.get(url)
        assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()
    client.post(coi_url, {"has_conflict": "no"})
    response = client.get(review_url)
    assert response.status_code == 200 and TITLE in response.content.decode()
