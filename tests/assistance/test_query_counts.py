"""Pages whose rows grow keep the same number of queries: the mentoring list and a series
page, the staff figures, a request's thread with files."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance.services import mentoring
from assistance.services import messages as message_services
from assistance.services import requests as services
from tests import factories
from tests.assistance.factories import ExpertFactory, assigned, pdf_upload, private_files, submitted  # noqa: F401
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "english")]


def _count(client, url) -> int:
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _series(staff, **kwargs):
    return mentoring.series_create(
        actor=staff,
        mentor=kwargs.get("mentor") or ExpertFactory(),
        organization=factories.OrganizationFactory(),
        topic="Plan",
        goal="Goal",
        started_on=timezone.localdate() - timedelta(days=30),
    )


def test_mentoring_list_and_series_page(client):
    staff = factories.StaffFactory()
    series = _series(staff)
    _series(staff)
    login(client, staff)
    list_url = reverse("assistance:series_list")
    page_url = reverse("assistance:series_detail", args=[series.pk])
    before = (_count(client, list_url), _count(client, page_url))
    for n in range(4):
        _series(staff)
        mentoring.session_plan(
            actor=series.mentor.user,
            series=series,
            planned_on=timezone.localdate() + timedelta(days=n + 1),
            topic=f"T{n}",
        )
    assert (_count(client, list_url), _count(client, page_url)) == before


def test_figures_page(client):
    staff = factories.StaffFactory()
    assigned(expert=ExpertFactory())
    submitted()
    login(client, staff)
    url = reverse("assistance:figures")
    before = _count(client, url)
    for category in ("legal", "fundraising", "registration"):
        assigned(expert=ExpertFactory(categories=[category]), category=category)
        submitted(category=category)
    assert _count(client, url) == before


def test_thread_with_files(client):
    staff = factories.StaffFactory()
    expert = ExpertFactory()
    request = submitted(uploads=[pdf_upload()])
    services.request_assign(actor=staff, request=request, expert=expert)
    login(client, request.requester)
    url = reverse("assistance:request_detail", args=[request.pk])

    def post(n):
        for i in range(n):
            message_services.message_post(
                actor=request.requester, request=request, body=f"m{i}", uploads=[pdf_upload()]
            )
            message_services.message_post(actor=expert.user, request=request, body=f"r{i}")

    post(1)
    before = _count(client, url)
    post(4)
    assert _count(client, url) == before
