"""Attendance by QR code: the facilitator shows a signed, short-lived code; a participant of
the cohort who opens it during the session is marked present; anything else is a clear 4xx."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from academy.models import Attendance, Module, Session
from academy.services import running
from tests.academy.factories import make_cohort, participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _session(cohort, *, starts_in_minutes=-30, hours=2):
    module = Module.objects.get_or_create(cohort=cohort, order=1, defaults={"title_sq": "Lidershipi"})[0]
    start = timezone.now() + timedelta(minutes=starts_in_minutes)
    return Session.objects.create(
        module=module, title="Harta", starts_at=start, ends_at=start + timedelta(hours=hours)
    )


def _check_in(client, session, code):
    return client.post(reverse("academy:check_in", args=[session.pk]), {"code": code})


def test_facilitator_shows_a_qr_code_of_the_check_in_link(client):
    cohort = make_cohort()
    facilitator = UserFactory()
    cohort.facilitators.add(facilitator)
    session = _session(cohort)
    client.force_login(facilitator)
    response = client.get(reverse("academy:attendance_qr", args=[session.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" in html and 'class="qr-code"' in html
    assert reverse("academy:check_in", args=[session.pk]) + "?code=" in html


def test_participant_scans_and_is_marked_present_once(client):
    cohort = make_cohort()
    member = participant(cohort)
    session = _session(cohort)
    code = running.checkin_code(session)
    client.force_login(member.applicant)
    page = client.get(reverse("academy:check_in", args=[session.pk]), {"code": code})
    assert page.status_code == 200 and "I am here" in page.content.decode()
    assert not Attendance.objects.exists()  # opening the link alone marks nothing
    response = _check_in(client, session, code)
    assert response.status_code == 200 and "marked present" in response.content.decode()
    assert _check_in(client, session, code).status_code == 200  # a second scan is harmless
    assert Attendance.objects.filter(participant=member, session=session, present=True).count() == 1


def test_another_sessions_code_a_forged_or_expired_one_is_400(client, monkeypatch):
    cohort = make_cohort()
    member = participant(cohort)
    session, other = _session(cohort), _session(cohort, starts_in_minutes=-10)
    client.force_login(member.applicant)
    response = _check_in(client, session, running.checkin_code(other))
    assert response.status_code == 400 and "another session" in response.content.decode()
    response = _check_in(client, session, running.checkin_code(session)[:-2] + "xx")
    assert response.status_code == 400 and "not a valid attendance code" in response.content.decode()
    assert _check_in(client, session, "").status_code == 400
    code = running.checkin_code(session)
    later = time.time() + running.CHECKIN_MAX_AGE + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = _check_in(client, session, code)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not Attendance.objects.exists()


def test_only_during_the_session_and_only_for_its_participants(client):
    cohort = make_cohort()
    member = participant(cohort)
    outsider = participant(make_cohort())
    later = _session(cohort, starts_in_minutes=60)
    over = _session(cohort, starts_in_minutes=-180, hours=1)
    now = _session(cohort)
    client.force_login(member.applicant)
    for session in (later, over):
        response = _check_in(client, session, running.checkin_code(session))
        assert response.status_code == 400 and "while the session is on" in response.content.decode()
    client.force_login(outsider.applicant)
    response = _check_in(client, now, running.checkin_code(now))
    assert response.status_code == 403 and "not a participant of this cohort" in response.content.decode()
    client.force_login(UserFactory())
    assert _check_in(client, now, running.checkin_code(now)).status_code == 403
    assert not Attendance.objects.exists()
    client.logout()
    response = _check_in(client, now, running.checkin_code(now))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.get(reverse("academy:check_in", args=["999999"])).status_code == 302
