import csv
import io
from decimal import Decimal

import pytest
from django.contrib import admin, messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse
from django.utils import timezone, translation

from core.admin_actions import export_as_csv
from core.models import EmailOutbox, Municipality, ReportJob, Sector, SentReminder
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


# --- issue 12, items 13 and 24: every export, with a row; formulas defused; failing loudly ---

FORMULA = '=HYPERLINK("http://evil.example","click")'


def _one_row(model, staff):
    """One row of `model` (the only one selected in the export), with a text that looks like
    a formula where the model has free text."""
    from grants.choices import ReminderKind
    from organizations.models import Organization
    from tests.giving.factories import GivingRecordFactory
    from tests.grants.factories import CallFactory, active_grant
    from transparency import models as t

    def grant_part(pick):
        grant = active_grant(staff=staff)
        return pick(grant)

    def measure():
        objective = t.StrategyObjective.objects.create(
            code="O9", title_sq=FORMULA, title_sr="S", title_en="E", ordering=9
        )
        return t.StrategyMeasure.objects.create(
            objective=objective,
            code="9.1",
            title_sq=FORMULA,
            title_sr="Uredba",
            title_en="Regulation",
            responsible_institution=factories.OrganizationFactory(kind=Organization.Kind.PUBLIC_INSTITUTION),
            deadline=timezone.localdate(),
            indicator="Adopted",
        )

    makers = {
        Municipality: lambda: Municipality.objects.order_by("pk").first(),
        Sector: lambda: Sector.objects.order_by("pk").first(),
        EmailOutbox: lambda: EmailOutbox.objects.create(to="a@example.org", subject=FORMULA, body_text="x"),
        ReportJob: lambda: ReportJob.objects.create(
            kind="organizations.directory", format="csv", requested_by=staff
        ),
        Organization: lambda: factories.OrganizationFactory(name=FORMULA),
        "giving.GivingRecord": lambda: GivingRecordFactory(donor_name=FORMULA),
        "grants.Call": lambda: CallFactory(title_sq=FORMULA),
        "grants.Application": lambda: grant_part(lambda grant: grant.application),
        "grants.ReviewAssignment": lambda: grant_part(lambda grant: grant.application.assignments.first()),
        "grants.Grant": lambda: grant_part(lambda grant: grant),
        "grants.Tranche": lambda: grant_part(lambda grant: grant.tranches.first()),
        "grants.GrantReport": lambda: grant_part(lambda grant: grant.reports.first()),
        "core.SentReminder": lambda: SentReminder.objects.create(
            kind=ReminderKind.CALL_CLOSING, object_id=1, user=staff
        ),
        "transparency.PublicFundingRecord": lambda: t.PublicFundingRecord.objects.create(
            institution=factories.OrganizationFactory(kind=Organization.Kind.PUBLIC_INSTITUTION),
            recipient_name=FORMULA,
            year=2024,
            amount=Decimal("1000"),
            procedure="open_call",
        ),
        "transparency.StrategyObjective": lambda: measure().objective,
        "transparency.StrategyMeasure": measure,
        "transparency.MeasureComment": lambda: t.MeasureComment.objects.create(
            measure=measure(), author=staff, body=FORMULA
        ),
    }
    for key, make in makers.items():
        if key is model or key == model._meta.label:
            return make()
    raise AssertionError(f"No row maker for {model._meta.label}: add one here (every admin export is tested)")


@pytest.fixture
def files(settings, tmp_path, monkeypatch):
    from tests.grants.helpers import use_temporary_storage

    return use_temporary_storage(settings, tmp_path, monkeypatch)


@pytest.mark.parametrize("model_admin", _admins_with_export(), ids=lambda m: type(m).__name__)
def test_every_admin_export_writes_its_selected_row(
    admin_client, files, model_admin, django_capture_on_commit_callbacks
):
    model = model_admin.model
    staff = factories.StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        obj = _one_row(model, staff)
    assert obj is not None and obj.pk
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.post(url, {"action": "export_as_csv", "_selected_action": [obj.pk]})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    _, rows = _rows(response)
    assert len(rows) == 2, rows
    header, row = rows
    assert len(row) == len(header)
    assert any(cell.strip() for cell in row)
    assert not any(cell.startswith(("=", "@")) for cell in row), row


def test_formulas_are_written_as_text(rf, staff_user):
    EmailOutbox.objects.create(to="a@example.org", subject=FORMULA, body_text="x")
    organization = factories.OrganizationFactory(name="@SUM(1+1)")
    model_admin = admin.site._registry[EmailOutbox]
    _, rows = _rows(export_as_csv(model_admin, _request(rf, staff_user), EmailOutbox.objects.all()))
    assert rows[1][2] == "'" + FORMULA
    from organizations.models import Membership

    Membership.objects.create(user=staff_user, organization=organization, role=Membership.Role.OWNER)
    membership_admin = admin.ModelAdmin(Membership, admin.site)
    membership_admin.csv_export_fields = ["organization", "role"]
    _, rows = _rows(export_as_csv(membership_admin, _request(rf, staff_user), Membership.objects.all()))
    assert rows[1][0] == "'@SUM(1+1)"  # a related object's text too


def test_a_column_that_fails_gives_an_error_message_and_no_file(rf, staff_user):
    EmailOutbox.objects.create(to="a@example.org", subject="A", body_text="a")
    model_admin = admin.ModelAdmin(EmailOutbox, admin.site)
    model_admin.csv_export_fields = ["to", "reference"]
    request = _request(rf, staff_user)
    with translation.override("en"):
        assert export_as_csv(model_admin, request, EmailOutbox.objects.all()) is None
    (message,) = list(request._messages)
    assert message.level == messages.ERROR
    assert "reference" in message.message and "nothing was exported" in message.message


def test_a_failing_export_through_the_admin_stays_on_the_list_with_the_error(admin_client, monkeypatch):
    EmailOutbox.objects.create(to="a@example.org", subject="A", body_text="a")
    model_admin = admin.site._registry[EmailOutbox]
    monkeypatch.setattr(model_admin, "csv_export_fields", ["to", "reference"], raising=False)
    url = reverse("admin:core_emailoutbox_changelist")
    response = admin_client.post(
        url,
        {"action": "export_as_csv", "_selected_action": [EmailOutbox.objects.get().pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302 and response["Location"].endswith(url)
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "nothing was exported" in page


def test_admin_methods_are_columns_too(admin_client, files, django_capture_on_commit_callbacks):
    """GrantAdmin's reference and recipient are methods of the ModelAdmin (the grant has no
    `reference`): the export used to answer 200 with only the header row."""
    from grants.models import Grant
    from tests.grants.factories import active_grant

    with django_capture_on_commit_callbacks(execute=True):
        grant = active_grant()
    response = admin_client.post(
        reverse("admin:grants_grant_changelist"), {"action": "export_as_csv", "_selected_action": [grant.pk]}
    )
    _, rows = _rows(response)
    assert rows[1][0] == grant.application.reference
    assert rows[1][2] == grant.application.applicant_name
    assert Grant.objects.count() == 1
