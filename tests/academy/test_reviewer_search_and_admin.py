"""The reviewer picker is a search that finds anyone who may review (htmx list, or a whole page
without JavaScript); the admin refuses a participant's mentor who is not a cohort mentor."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from academy.forms import AssignForm
from academy.models import ApplicationReview, CohortApplication
from academy.services import selection
from tests.academy.factories import make_cohort, participant, submitted
from tests.factories import StaffFactory, UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd():
    """250 reviewers: more than the old list of 200 showed."""
    group = Group.objects.get_or_create(name=selection.REVIEWERS_GROUP)[0]
    people = [UserFactory(full_name=f"Reviewer {n:03d}", email=f"rev{n:03d}@example.org") for n in range(250)]
    group.user_set.add(*people)
    return people


def test_search_finds_the_last_of_many(client, crowd):
    staff = StaffFactory()
    application = submitted(make_cohort())
    url = reverse("academy:staff_reviewer_search", args=[application.pk])
    response = login(client, staff).get(url, {"q": "rev249"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{crowd[-1].pk}"' in page and "<html" not in page
    full = client.get(url, {"q": "Reviewer 24"})  # without htmx: a whole page with the assign form
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert reverse("academy:staff_assign", args=[application.pk]) in full.content.decode()
    assert full.content.decode().count('name="reviewers"') == 10
    client.post(reverse("academy:staff_assign", args=[application.pk]), {"reviewers": [crowd[-1].pk]})
    assert ApplicationReview.objects.filter(application=application, reviewer=crowd[-1]).exists()


def test_search_does_not_find_who_may_not_review(client, crowd):
    outsider = UserFactory(full_name="Reviewer Outsider")
    application = submitted(make_cohort())
    response = login(client, StaffFactory()).get(
        reverse("academy:staff_reviewer_search", args=[application.pk]),
        {"q": "Outsider"},
        HTTP_HX_REQUEST="true",
    )
    assert f'value="{outsider.pk}"' not in response.content.decode()
    assert not AssignForm({"reviewers": [outsider.pk]}).is_valid()


@pytest.mark.parametrize("q", ["", "a", "x" * 500, "%", "\\", "' OR 1=1 --"])
def test_junk_searches_answer(client, q):
    application = submitted(make_cohort())
    response = login(client, StaffFactory()).get(
        reverse("academy:staff_reviewer_search", args=[application.pk]), {"q": q}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200


def test_only_staff_search(client):
    application = submitted(make_cohort())
    url = reverse("academy:staff_reviewer_search", args=[application.pk])
    assert login(client, UserFactory()).get(url, {"q": "ab"}).status_code == 403


def test_the_selection_page_no_longer_lists_everyone(client, crowd):
    cohort = make_cohort()
    submitted(cohort)
    page = (
        login(client, StaffFactory())
        .get(reverse("academy:staff_selection", args=[cohort.pk]))
        .content.decode()
    )
    assert "rev000@example.org" not in page and 'hx-get="' in page


def test_admin_refuses_a_mentor_from_outside_the_cohort(admin_client):
    cohort = make_cohort(places=3)
    member = participant(cohort)
    cohort_mentor, stranger = UserFactory(), UserFactory()
    cohort.mentors.add(cohort_mentor)
    url = reverse("admin:academy_cohortapplication_change", args=[member.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
            "reviews-MIN_NUM_FORMS": "0",
            "reviews-MAX_NUM_FORMS": "1000",
        }
    )
    response = admin_client.post(url, {**data, "mentor": stranger.pk})
    assert response.status_code == 200 and "mentor" in response.context["adminform"].form.errors
    assert CohortApplication.objects.get(pk=member.pk).mentor_id is None
    response = admin_client.post(url, {**data, "mentor": cohort_mentor.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CohortApplication.objects.get(pk=member.pk).mentor_id == cohort_mentor.pk


def test_seed_demo_adds_a_finished_cohort_with_certificates_and_alumni(client):
    from academy.demo import FINISHED_TITLE
    from academy.models import Cohort
    from core.models import Certificate

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    finished = Cohort.objects.get(title_sq=FINISHED_TITLE)
    assert finished.status == "finished"
    ids = list(finished.applications.values_list("pk", flat=True))
    assert Certificate.objects.filter(kind="academy.completion", object_id__in=ids).count() == 4
    assert finished.applications.filter(alumni_listed=True).count() == 3
    assert "Vesa Gashi" in client.get("/en/academy/alumni/").content.decode()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Cohort.objects.filter(title_sq=FINISHED_TITLE).count() == 1
