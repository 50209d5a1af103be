import csv
import io

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage

from core.admin_actions import export_as_csv
from core.models import EmailOutbox, Municipality, ReportJob, Sector
from tests import factories

pytestmark = pytest.mark.django_db


def _request(rf, user):
    request = rf.post("/admin/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _rows(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _admins_with_export():
    return [
        model_admin
        for model_admin in admin.site._registry.values()
        if export_as_csv in (model_admin.actions or [])
    ]


def test_core_admins_offer_the_export():
    models = {type(m).__name__ for m in _admins_with_export()}
    assert {"MunicipalityAdmin", "SectorAdmin", "ReportJobAdmin", "EmailOutboxAdmin"} <= models


@pytest.mark.parametrize("model_admin", _admins_with_export(), ids=lambda m: type(m).__name__)
def test_export_streams_utf8_with_bom_on_any_admin(rf, staff_user, model_admin):
    queryset = model_admin.get_queryset(_request(rf, staff_user))
    response = export_as_csv(model_admin, _request(rf, staff_user), queryset)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    raw, rows = _rows(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert len(rows) == queryset.count() + 1


def test_municipality_export_has_the_selected_rows_in_three_languages(rf, staff_user):
    model_admin = admin.site._registry[Municipality]
    queryset = Municipality.objects.filter(slug__in=["prishtine", "prizren"]).order_by("slug")
    _, rows = _rows(export_as_csv(model_admin, _request(rf, staff_user), queryset))
    assert len(rows) == 3
    assert rows[1] == ["Prishtinë", "Priština", "Pristina", "prishtine"]
    assert rows[2][3] == "prizren"


def test_outbox_export_uses_display_values(rf, staff_user):
    EmailOutbox.objects.create(
        to="ë@example.org", subject="Përshëndetje, đak", body_text="x", status="failed"
    )
    model_admin = admin.site._registry[EmailOutbox]
    _, rows = _rows(export_as_csv(model_admin, _request(rf, staff_user), EmailOutbox.objects.all()))
    assert rows[1][1:4] == ["ë@example.org", "Përshëndetje, đak", str(EmailOutbox.Status.FAILED.label)]


def test_outbox_resend_action(rf, staff_user, django_capture_on_commit_callbacks, mailoutbox):
    failed = EmailOutbox.objects.create(
        to="f@example.org", subject="F", body_text="f", status="failed", attempts=5
    )
    model_admin = admin.site._registry[EmailOutbox]
    action = model_admin.get_actions(_request(rf, staff_user))["resend_emails"][0]
    with django_capture_on_commit_callbacks(execute=True):
        action(model_admin, _request(rf, staff_user), EmailOutbox.objects.all())
    failed.refresh_from_db()
    assert failed.status == EmailOutbox.Status.SENT
    assert len(mailoutbox) == 1


def test_report_jobs_are_read_only_in_admin(rf, staff_user):
    model_admin = admin.site._registry[ReportJob]
    request = _request(rf, staff_user)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not admin.site._registry[Municipality].has_add_permission(request)
    assert admin.site._registry[Sector].search_fields


def test_admin_changelists_render(rf):
    """The changelists render for a superuser (the admin views are called directly, so the
    StaffMFAMiddleware in front of /admin/ is not in the way)."""
    superuser = factories.StaffFactory(is_superuser=True)
    EmailOutbox.objects.create(to="a@example.org", subject="A", body_text="a")
    ReportJob.objects.create(kind="organizations.directory", format="csv", requested_by=superuser)
    for model in (Municipality, Sector, ReportJob, EmailOutbox):
        request = rf.get("/admin/")
        request.user = superuser
        request.session = {}
        request._messages = FallbackStorage(request)
        response = admin.site._registry[model].changelist_view(request)
        response.render()
        assert response.status_code == 200, model
