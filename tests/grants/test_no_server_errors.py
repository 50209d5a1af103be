"""Every page of grants, for every role, with malformed input of every kind, answers below
500: a sweep over the URL map (so a page added later is swept too) with GET and POST of
junk values, ids of other people's objects, huge numbers and wrong types. The state-changing
outcomes are pinned by each part's own tests; this one pins "never a 500".

One test per route and role, so that pytest-xdist spreads them over its workers; the world
is built once per module and worker (`rows_for_the_scope`), and each test starts from it as
built."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import get_resolver, reverse

from grants.models import Application, Attachment, Grant, GrantReport
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, active_grant, submitted_application
from tests.helpers import rows_for_the_scope

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

JUNK_VALUES = [
    "",
    "x" * 5000,
    "-1",
    "1e309",
    "NaN",
    "0",
    "99999999999999999999",
    "<script>",
    "2026-13-45",
    "%00",
    "²",  # a digit to str.isdigit(), not to int()
    "１２",  # full-width digits, which int() reads
]
JUNK_FIELDS = [
    "title", "summary", "municipality", "starts_on", "ends_on", "amount", "decision", "note", "reason",
    "eligible", "reviewers", "score", "recommendation", "comment", "has_conflict", "body", "format",
    "page", "status", "stage", "call", "year", "q", "section", "group_name", "number", "planned_on",
    "due_on", "period", "kind", "paid_on", "signed_on", "text", "applicant_type", "organization",
    "form-TOTAL_FORMS", "form-INITIAL_FORMS", "rows-0-quantity", "rows-0-unit_cost", "rows-TOTAL_FORMS",
]  # fmt: skip


def _grants_routes():
    """(name, [kwarg names]) of every URL of the grants namespace."""
    routes = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace == "grants" and pattern.name:
                routes.append((pattern.name, list(pattern.pattern.converters)))

    walk(get_resolver().url_patterns)
    return routes


ROUTES = _grants_routes()


def test_the_sweep_covers_every_page():
    names = {name for name, _ in ROUTES}
    assert len(ROUTES) >= 50
    assert {"apply", "application_submit", "staff_decide", "review_save", "staff_grant_tranches"} <= names


@pytest.fixture(scope="module")
def grants_files(tmp_path_factory):
    """The conftest's temporary storages, for the whole module: the world's files (agreement,
    attachments) are written once and every test reads them."""
    folder = tmp_path_factory.mktemp("grants_sweep")
    storage = FileSystemStorage(location=folder / "private", base_url=None)
    with override_settings(MEDIA_ROOT=folder / "media"), pytest.MonkeyPatch.context() as patch:
        for model, field in ((Attachment, "file"), (Grant, "agreement_file"), (GrantReport, "file")):
            patch.setattr(model._meta.get_field(field), "storage", storage)
        yield storage


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, grants_files):
    with rows_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            staff = StaffFactory()
            grant = active_grant(staff=staff)
            application = grant.application
            reviewer = UserFactory()
            Group.objects.get_or_create(name="Grant reviewers")[0].user_set.add(reviewer)
            other = UserFactory()
            other_draft = ApplicationFactory(call=CallFactory(with_form=True), applicant=other)
            submitted = submitted_application()
            org_viewer = UserFactory()
            world = {
                "staff": staff,
                "application": application,
                "grant": grant,
                "applicant": application.applicant,
                "other": other,
                "reviewer": reviewer,
                "org_viewer": org_viewer,
                "other_draft": other_draft,
                "submitted": submitted,
            }
        yield world


def _kwargs(world, converters, *, foreign=False):
    """URL arguments: the world's objects, or (foreign) another person's / unknown ones."""
    application = world["other_draft"] if foreign else world["application"]
    grant = world["grant"]
    values = {
        "slug": application.call.slug,
        "pk": application.pk,
        "att_pk": 999_999 if foreign else (application.attachments.values_list("pk", flat=True).first() or 1),
        "number": 99 if foreign else 1,
        "assignment_pk": 999_999
        if foreign
        else (application.assignments.values_list("pk", flat=True).first() or 1),
        "report_pk": 999_999 if foreign else grant.reports.values_list("pk", flat=True).first(),
        "tranche_pk": 999_999 if foreign else grant.tranches.values_list("pk", flat=True).first(),
        "section": "project",
    }
    return {name: values[name] for name in converters}


def _url(name, world, converters, *, foreign=False):
    kwargs = _kwargs(world, converters, foreign=foreign)
    if "pk" in kwargs and name.startswith(("grant", "staff_grant", "staff_tranche", "staff_report")):
        kwargs["pk"] = 999_999 if foreign else world["grant"].pk
    return reverse(f"grants:{name}", kwargs=kwargs)


def _junk(value):
    data = {field: value for field in JUNK_FIELDS}
    data["file"] = SimpleUploadedFile("evil.pdf", b"MZ" + b"\0" * 100, content_type="application/pdf")
    data["scores"] = value
    return data


ROUTE_IDS = [name for name, _ in ROUTES]


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("role", ["anonymous", "applicant", "other", "reviewer", "staff"])
def test_no_page_answers_500(client, world, role, name, converters):
    if role != "anonymous":
        client.force_login(world[role])
    failures = []
    for foreign in (False, True):
        if foreign and not converters:
            continue
        url = _url(name, world, converters, foreign=foreign)
        for value in ("", "1e309", "<script>", "²"):
            response = client.get(url, {field: value for field in JUNK_FIELDS})
            if response.status_code >= 500:
                failures.append(("GET", url, value, response.status_code))
        for value in JUNK_VALUES:
            response = client.post(url, _junk(value))
            if response.status_code >= 500:
                failures.append(("POST", url, value[:20], response.status_code))
    assert not failures, failures


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=ROUTE_IDS)
def test_org_viewer_and_htmx_requests_never_500(client, world, name, converters):
    """An organisation's viewer (reads, may not act) and htmx partial requests."""
    organization_app = world["submitted"]
    viewer = world["org_viewer"]
    if organization_app.organization_id:
        Membership.objects.create(organization=organization_app.organization, user=viewer, role="viewer")
    client.force_login(viewer)
    url = _url(name, world, converters)
    for method in (client.get, client.post):
        response = method(url, {"title": "x" * 10_000, "amount": "NaN"}, HTTP_HX_REQUEST="true")
        assert response.status_code < 500, (name, response.status_code)
    assert Application.objects.filter(pk=world["application"].pk, status="approved").exists()
