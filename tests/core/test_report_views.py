import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import tasks
from core.models import ReportJob
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

DIRECTORY = "organizations.directory"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def url(name, *args):
    return reverse(f"core:{name}", args=args)


def _start(client, kind, fmt="csv", params=""):
    return client.post(url("report_start"), {"kind": kind, "format": fmt, "params": params})


def _job(user, kind, **kwargs):
    return ReportJob.objects.create(
        kind=kind, format=kwargs.pop("format", "csv"), requested_by=user, **kwargs
    )


def test_urls_live_under_language_prefix():
    assert url("report_list") == "/en/reports/"


@pytest.mark.parametrize("name", ["report_list", "report_detail", "report_download"])
def test_anonymous_is_sent_to_login(client, user, name):
    args = () if name == "report_list" else (_job(user, DIRECTORY).pk,)
    response = client.get(url(name, *args))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_start_is_sent_to_login(client):
    response = _start(client, DIRECTORY)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("role", ["citizen", "viewer", "editor", "owner"])
def test_non_staff_may_not_start_the_staff_only_directory(client, org_roles, role):
    client.force_login(org_roles[role])
    response = _start(client, DIRECTORY)
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_start_requires_post(client, staff_user):
    client.force_login(staff_user)
    assert client.get(url("report_start"), {"kind": DIRECTORY, "format": "csv"}).status_code == 405


@pytest.mark.parametrize(("kind", "fmt"), [("nope", "csv"), (DIRECTORY, "pdf"), (DIRECTORY, ""), ("", "csv")])
def test_bad_kind_or_format_is_400(client, staff_user, kind, fmt):
    client.force_login(staff_user)
    response = _start(client, kind, fmt)
    assert response.status_code == 400
    assert "could not be started" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_staff_starts_directory_export_with_page_filters(
    client, staff_user, django_capture_on_commit_callbacks
):
    factories.OrganizationFactory(name="Alpha")
    factories.OrganizationFactory(name="Beta")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, DIRECTORY, "xlsx", params="q=alp&page=2&bogus=1")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("report_detail", job.pk)
    assert job.params == {"q": "alp"}
    assert job.language == "en"
    assert job.status == ReportJob.Status.DONE

    page = client.get(url("report_detail", job.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="100"' in html
    assert url("report_download", job.pk) in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling

    download = client.get(url("report_download", job.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in download["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["Alpha"]


def test_requester_downloads_others_get_404_staff_may(client, org_roles, open_report):
    owner, other, staff = org_roles["citizen"], org_roles["viewer"], org_roles["staff"]
    job = _job(owner, open_report.kind, params={"n": "2"})
    tasks.run_report_job(str(job.pk))

    client.force_login(owner)
    response = client.get(url("report_download", job.pk))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"].startswith("text/csv")

    client.force_login(other)
    assert client.get(url("report_detail", job.pk)).status_code == 404
    assert client.get(url("report_download", job.pk)).status_code == 404

    client.force_login(staff)
    assert client.get(url("report_detail", job.pk)).status_code == 200
    assert client.get(url("report_download", job.pk)).status_code == 200


def test_download_of_unfinished_job_is_404(client, user, open_report):
    job = _job(user, open_report.kind)
    client.force_login(user)
    assert client.get(url("report_download", job.pk)).status_code == 404


def test_citizen_runs_an_open_report_end_to_end(
    client, user, open_report, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, open_report.kind, "csv", params="n=3")
    job = ReportJob.objects.get()
    assert response["Location"] == url("report_detail", job.pk)
    assert job.status == ReportJob.Status.DONE
    assert job.rows_done == 3


def test_detail_polls_while_running_and_htmx_gets_only_the_fragment(client, user, open_report):
    job = _job(
        user, open_report.kind, status=ReportJob.Status.RUNNING, progress=42, rows_done=42, rows_total=100
    )
    client.force_login(user)

    page = client.get(url("report_detail", job.pk)).content.decode()
    assert "<html" in page
    assert f'hx-get="{url("report_detail", job.pk)}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert 'aria-valuenow="42"' in page
    assert 'aria-live="polite"' in page
    assert f'href="{url("report_detail", job.pk)}">Refresh</a>' in page  # works without JS

    fragment = client.get(url("report_detail", job.pk), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html and "<nav" not in html
    assert html.lstrip().startswith('<div id="report-progress"')
    assert 'hx-trigger="every 1s"' in html
    assert "42 of 100 rows" in html
    assert "hx-swap-oob" not in html

    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.DONE, progress=100)
    html = client.get(url("report_detail", job.pk), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' not in html  # polling stops
    assert 'id="report-announce" hx-swap-oob="innerHTML"' in html
    assert "ready to download" in html
    assert url("report_download", job.pk) in html


def test_failed_job_shows_message_and_error_only_to_staff(client, user, staff_user, open_report):
    job = _job(user, open_report.kind, status=ReportJob.Status.FAILED, error="ValueError: secret detail")
    client.force_login(user)
    html = client.get(url("report_detail", job.pk)).content.decode()
    assert "could not be prepared" in html
    assert "secret detail" not in html
    client.force_login(staff_user)
    assert "secret detail" in client.get(url("report_detail", job.pk)).content.decode()


def test_report_list_shows_own_jobs_staff_see_all(client, org_roles, open_report):
    citizen, other, staff = org_roles["citizen"], org_roles["viewer"], org_roles["staff"]
    mine = _job(citizen, open_report.kind)
    theirs = _job(other, open_report.kind)

    client.force_login(citizen)
    html = client.get(url("report_list")).content.decode()
    assert str(mine.pk) in html and str(theirs.pk) not in html
    assert "Numbers" in html

    client.force_login(staff)
    html = client.get(url("report_list")).content.decode()
    assert str(mine.pk) in html and str(theirs.pk) in html
    assert other.email in html


def test_report_list_query_count_does_not_grow(client, staff_user, open_report):
    users = [factories.UserFactory() for _ in range(3)]

    def count():
        client.get(
            url("report_list")
        )  # warm: the menu's flags are worked out once, then kept (core.navigation)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("report_list")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(staff_user)
    for u in users:
        _job(u, open_report.kind)
    few = count()
    for u in users * 4:
        _job(u, open_report.kind, status=ReportJob.Status.DONE)
    assert count() == few


def test_report_list_is_paginated(client, user, open_report):
    ReportJob.objects.bulk_create(
        [ReportJob(kind=open_report.kind, format="csv", requested_by=user) for _ in range(30)]
    )
    client.force_login(user)
    response = client.get(url("report_list"))
    assert len(response.context["jobs"]) == 25
    assert client.get(url("report_list"), {"page": 2}).context["jobs"].__len__() == 5


def test_export_buttons_include(rf, staff_user, user):
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines

    template = engines["django"].from_string(
        '{% include "core/includes/_export_buttons.html" with kind="organizations.directory" %}'
    )
    request = rf.get("/en/organizations/?q=ngo&municipality=prishtine&page=2")
    request.user = staff_user
    html = template.render({}, request)
    assert f'action="{url("report_start")}"' in html
    assert 'method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="organizations.directory"' in html
    assert 'name="params" value="q=ngo&amp;municipality=prishtine&amp;page=2"' in html
    assert 'name="format" value="csv"' in html and 'name="format" value="xlsx"' in html

    for who in (user, AnonymousUser()):
        request.user = who
        assert "<form" not in template.render({}, request)


def test_export_buttons_draw_a_refused_format_disabled_with_the_reason(rf, user):
    """A report whose `refusal` refuses a format for the page's params: that button cannot be
    pressed (report_job_start would refuse it) and the page says why; the others stay."""
    from django.template import engines

    from core import reports

    def refusal(params, fmt):
        return (
            f"Too big for {fmt.upper()}: take the XLSX."
            if fmt == "csv" and params.get("size") == "big"
            else ""
        )

    reports.register(
        kind="tests.refusing",
        title="Refusing",
        columns=["i"],
        rows=lambda p, u: (0, []),
        params=("size",),
        refusal=refusal,
    )
    try:
        template = engines["django"].from_string(
            '{% include "core/includes/_export_buttons.html" with kind="tests.refusing" %}'
        )
        request = rf.get("/en/things/?size=small")
        request.user = user
        html = template.render({}, request)
        assert 'name="format" value="csv"' in html and "disabled" not in html and "Too big" not in html
        request = rf.get("/en/things/?size=big")
        request.user = user
        html = template.render({}, request)
        assert 'name="format" value="csv"' not in html and 'name="format" value="xlsx"' in html
        assert 'disabled aria-describedby="export-refusal-testsrefusing-csv"' in html
        assert (
            '<span id="export-refusal-testsrefusing-csv"' in html
            and "Too big for CSV: take the XLSX." in html
        )
    finally:
        reports.unregister("tests.refusing")


def test_requester_who_lost_the_permission_no_longer_downloads(client, staff_user):
    job = _job(staff_user, DIRECTORY)
    tasks.run_report_job(str(job.pk))
    client.force_login(staff_user)
    assert client.get(url("report_download", job.pk)).status_code == 200
    staff_user.is_staff = False
    staff_user.save(update_fields=["is_staff"])
    assert client.get(url("report_download", job.pk)).status_code == 404
