"""The completion rule (data on the cohort) and the certificate of completion."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from academy.models import Attendance, CommunityProject, Module, Session
from academy.services import completion, running
from core.models import Certificate
from tests.academy.factories import make_cohort, participant
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _sessions(cohort, count):
    module = Module.objects.create(cohort=cohort, order=1, title_sq="Lidershipi")
    start = timezone.now() - timedelta(days=30)
    return [
        Session.objects.create(
            module=module,
            title=f"S{i}",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=2),
        )
        for i in range(count)
    ]


def _attend(member, sessions):
    for session in sessions:
        Attendance.objects.create(session=session, participant=member, present=True)


def _finished_project(member, title="Parku i lagjes"):
    project = running.project_start(
        actor=member.applicant, cohort=member.cohort, data={"title": title, "issue": "Mungon parku"}
    )
    running.project_update(actor=member.applicant, project=project, data={"result": "120 të rinj"})
    return running.project_finish(actor=member.applicant, project=project)


def _setup(**cohort_kwargs):
    cohort = make_cohort(**cohort_kwargs)
    member = participant(cohort, UserFactory(full_name="Arta Berisha", preferred_language="sr-latn"))
    return cohort, member, _sessions(cohort, 5)


def test_rule_kept_as_data_attendance_and_project():
    cohort, member, sessions = _setup()
    _attend(member, sessions[:3])  # 60 %
    state = completion.completion_of(member)
    assert (state.percent, state.attendance_ok, state.project_ok, state.completed) == (
        60,
        False,
        False,
        False,
    )
    _attend(member, sessions[3:4])  # 80 %
    assert completion.completion_of(member).attendance_ok
    _finished_project(member)
    assert completion.completion_of(member).completed
    cohort.completion_min_attendance = 100
    cohort.save()
    member.cohort.refresh_from_db()
    assert not completion.completion_of(member).completed


def test_project_not_required_when_the_cohort_says_so():
    _cohort, member, sessions = _setup(completion_requires_project=False)
    _attend(member, sessions[:4])
    assert completion.completion_of(member).completed


def test_an_unfinished_project_does_not_count_and_finishing_needs_a_result():
    cohort, member, sessions = _setup()
    _attend(member, sessions)
    project = running.project_start(
        actor=member.applicant, cohort=cohort, data={"title": "Biblioteka", "issue": "Mungon"}
    )
    with pytest.raises(ValidationError):
        running.project_finish(actor=member.applicant, project=project)
    assert not completion.completion_of(member).project_ok
    project.refresh_from_db()
    assert project.finished_at is None


def test_certificate_for_someone_who_did_not_complete_is_refused(client):
    _cohort, member, sessions = _setup()
    _attend(member, sessions[:2])
    client.force_login(member.applicant)
    response = client.get(reverse("academy:certificate", args=[member.pk]))
    body = response.content.decode()
    assert response.status_code == 409
    assert "40% of the sessions" in body and "finished community project" in body
    assert not Certificate.objects.exists()


def test_certificate_pdf_with_a_code_verified_publicly(client):
    _cohort, member, sessions = _setup()
    _attend(member, sessions[:4])
    _finished_project(member)
    client.force_login(member.applicant)
    response = client.get(reverse("academy:certificate", args=[member.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    again = client.get(reverse("academy:certificate", args=[member.pk]))
    assert again.status_code == 200
    certificate = Certificate.objects.get()  # a second download issues nothing new
    assert certificate.language == "sr-latn" and certificate.holder == member.applicant
    assert certificate.code in response["Content-Disposition"]
    client.logout()
    page = client.get(reverse("certificates:verify", args=[certificate.code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Arta Berisha" in text and "Community Leadership Academy" in text and "80%" in text
    assert "Parku i lagjes" in text


def test_only_the_participant_downloads_their_certificate(client):
    cohort, member, sessions = _setup()
    _attend(member, sessions)
    _finished_project(member)
    url = reverse("academy:certificate", args=[member.pk])
    for person in (UserFactory(), participant(cohort).applicant, StaffFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404
    assert not Certificate.objects.exists()
    assert CommunityProject.objects.filter(finished_at__isnull=False).count() == 1
