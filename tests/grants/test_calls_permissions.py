"""Every role × every call page: public pages for published calls, 404 for unpublished ones
except for staff; the pages only read, so a POST is refused and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.choices import ApplicantType
from grants.models import Application, Call, CallDocument, ReviewAssignment
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, pdf_bytes, verified_cso

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "reviewer_assigned",
    "reviewer_not_assigned",
    "org_editor",
    "staff",
]


@pytest.fixture
def world():
    published = CallFactory(with_form=True)
    hidden = CallFactory(with_form=True, is_published=False)
    applicant = UserFactory()
    application = ApplicationFactory(call=published, applicant=applicant)
    owner = UserFactory()
    org = verified_cso(editor=owner)
    ApplicationFactory(
        call=published, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=org
    )
    org_editor = UserFactory()
    Membership.objects.create(organization=org, user=org_editor, role=Membership.Role.EDITOR)
    reviewer = UserFactory()
    ReviewAssignment.objects.create(application=application, stage=application.stage, reviewer=reviewer)
    docs = {}
    for call in (published, hidden):
        docs[call.pk] = CallDocument.objects.create(
            call=call,
            title="Guide",
            file=SimpleUploadedFile("g.pdf", pdf_bytes(), content_type="application/pdf"),
        )
    users = {
        "anonymous": None,
        "applicant": applicant,
        "other_applicant": ApplicationFactory(call=published).applicant,
        "reviewer_assigned": reviewer,
        "reviewer_not_assigned": UserFactory(),
        "org_editor": org_editor,
        "staff": StaffFactory(),
    }
    return {"published": published, "hidden": hidden, "docs": docs, "users": users}


def _urls(call, document):
    return {
        "detail": reverse("grants:call_detail", kwargs={"slug": call.slug}),
        "document": reverse("grants:call_document", kwargs={"slug": call.slug, "pk": document.pk}),
        "questions": reverse("grants:call_questions", kwargs={"slug": call.slug}) + "?format=html",
    }


def _state():
    return (
        Application.objects.count(),
        Call.objects.filter(is_published=True).count(),
        CallDocument.objects.count(),
        sorted(Call.objects.values_list("updated_at", flat=True)),
    )


@pytest.mark.parametrize("role", ROLES)
def test_published_call_pages_are_public(client, world, role):
    if world["users"][role]:
        client.force_login(world["users"][role])
    call = world["published"]
    assert client.get(reverse("grants:call_list")).status_code == 200
    for name, url in _urls(call, world["docs"][call.pk]).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_call_pages_are_404_except_for_staff(client, world, role):
    if world["users"][role]:
        client.force_login(world["users"][role])
    call = world["hidden"]
    expected = 200 if role == "staff" else 404
    for name, url in _urls(call, world["docs"][call.pk]).items():
        assert client.get(url).status_code == expected, name
    listed = client.get(reverse("grants:call_list")).context["calls"]
    assert call not in list(listed)  # not in the public list, even for staff


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_only_read(client, world, role):
    if world["users"][role]:
        client.force_login(world["users"][role])
    before = _state()
    call = world["published"]
    urls = [reverse("grants:call_list"), *_urls(call, world["docs"][call.pk]).values()]
    for url in urls:
        assert client.post(url, {"is_published": "0", "title_sq": "x"}).status_code == 405
    assert _state() == before


@pytest.mark.parametrize("role", ROLES)
def test_document_of_another_call_is_404_for_everyone(client, world, role):
    if world["users"][role]:
        client.force_login(world["users"][role])
    published, hidden = world["published"], world["hidden"]
    url = reverse("grants:call_document", kwargs={"slug": published.slug, "pk": world["docs"][hidden.pk].pk})
    assert client.get(url).status_code == 404
