"""One call's public page: eligibility, dates and countdown, stages, rubric, documents, the
Apply button in each phase, the applicant's own applications, unpublished calls; the
documents' downloads; the navbar's Grants menu."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Municipality, Sector
from grants.choices import ApplicantType, Stage
from grants.models import AttachmentRequirement, CallDocument, ReviewAssignment
from grants.views.calls import remaining_text
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, pdf_bytes, verified_cso

pytestmark = pytest.mark.django_db


def _detail(client, call):
    return client.get(reverse("grants:call_detail", kwargs={"slug": call.slug}))


def _document(call, title="Guidelines", language="", name="guide.pdf", content=None):
    return CallDocument.objects.create(
        call=call,
        title=title,
        language=language,
        file=SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf"),
    )


def test_eligibility_and_description(client, english):
    prishtine = Municipality.objects.get(slug="prishtine")
    sector = Sector.objects.first()
    call = CallFactory(
        description_en="First paragraph.\n\nSecond paragraph.",
        allow_individuals=False,
        min_amount=Decimal("1500.00"),
        max_amount=Decimal("8000.00"),
        total_budget=Decimal("90000.00"),
        cofinancing_percent=Decimal("15.00"),
    )
    call.municipalities.set([prishtine])
    call.sectors.set([sector])
    response = _detail(client, call)
    assert response.status_code == 200
    body = response.content.decode()
    assert call.title_en in body
    assert "<p>First paragraph.</p>" in body and "<p>Second paragraph.</p>" in body
    assert "Registered CSO" in body and "Informal group (community initiative)" in body
    assert "Individual</li>" not in body
    assert prishtine.name_en in body and sector.name_en in body
    assert "€1,500.00" in body and "€8,000.00" in body and "€90,000.00" in body
    assert "At least 15% of the total project cost" in body


def test_remaining_text():
    with translation.override("en"):
        assert remaining_text(timedelta(days=3, hours=2, minutes=5)) == "3 days, 2 hours"
        assert remaining_text(timedelta(days=1, hours=1, minutes=1)) == "1 day, 1 hour, 1 minute"
        assert remaining_text(timedelta(minutes=42, seconds=10)) == "42 minutes"
        assert remaining_text(timedelta(seconds=-5)) == "0 minutes"


def test_open_call_has_countdown_and_apply_button(client, english):
    call = CallFactory(closes_at=timezone.now() + timedelta(days=3, hours=2, minutes=30))
    body = _detail(client, call).content.decode()
    assert "3 days, 2 hours left" in body
    assert "data-countdown" in body and 'data-template="{time} left"' in body
    assert "grants/js/countdown.js" in body
    assert f'href="{reverse("grants:apply", kwargs={"slug": call.slug})}"' in body
    assert "You will be asked to log in" in body


def test_upcoming_call_says_when_it_opens(client, english):
    now = timezone.now()
    call = CallFactory(
        opens_at=now + timedelta(days=2, hours=5, minutes=5), closes_at=now + timedelta(days=30)
    )
    body = _detail(client, call).content.decode()
    assert "Applications open on" in body
    assert "Opens in 2 days, 5 hours" in body
    assert reverse("grants:apply", kwargs={"slug": call.slug}) not in body


def test_closed_call_says_so(client, english):
    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=30), closes_at=now - timedelta(hours=1))
    body = _detail(client, call).content.decode()
    assert "This call closed on" in body
    assert "data-countdown" not in body
    assert reverse("grants:apply", kwargs={"slug": call.slug}) not in body


def test_two_stage_call_shows_both_deadlines_and_attachments_per_stage(client, english):
    now = timezone.now()
    call = CallFactory(two_stage=True, full_proposal_closes_at=now + timedelta(days=60))
    AttachmentRequirement.objects.create(call=call, stage=Stage.CONCEPT, label_en="Letter of intent")
    AttachmentRequirement.objects.create(
        call=call,
        stage=Stage.FULL,
        label_en="Registration certificate",
        required=False,
        applicant_types=[ApplicantType.ORGANIZATION],
    )
    body = _detail(client, call).content.decode()
    assert "Concept note" in body and "Full proposal" in body
    assert "Full proposals due" in body
    assert "Letter of intent" in body and "Registration certificate" in body
    assert "(optional)" in body and "Registered CSO" in body


def test_rubric_with_weights_and_shares(client, english):
    call = CallFactory(with_form=True)  # Relevance weight 2, Budget weight 1
    body = _detail(client, call).content.decode()
    assert "How applications are assessed" in body
    assert "Relevance" in body and "67%" in body and "33%" in body
    assert "CV of the project lead" in body


def test_documents_listed_with_language_and_download_links(client, english):
    call = CallFactory()
    guide = _document(call, "Guidelines", "en")
    template = _document(call, "Budget template", "", "budget.xlsx", b"PK\x03\x04 fake")
    body = _detail(client, call).content.decode()
    assert "Guidelines" in body and "Budget template" in body
    assert "All languages" in body and "English" in body
    for document in (guide, template):
        assert reverse("grants:call_document", kwargs={"slug": call.slug, "pk": document.pk}) in body
    assert reverse("grants:call_questions", kwargs={"slug": call.slug}) in body


def test_signed_in_applicant_sees_their_application(client, english):
    call = CallFactory()
    applicant = UserFactory()
    application = ApplicationFactory(call=call, applicant=applicant, title="My river project")
    other = ApplicationFactory(call=call, title="Someone else's")
    client.force_login(applicant)
    body = _detail(client, call).content.decode()
    assert reverse("grants:application_detail", kwargs={"pk": application.pk}) in body
    assert "My river project" in body
    assert reverse("grants:application_detail", kwargs={"pk": other.pk}) not in body


def test_org_member_sees_the_organisation_application(client, english):
    call = CallFactory()
    owner = UserFactory()
    org = verified_cso(editor=owner)
    application = ApplicationFactory(
        call=call, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=org
    )
    editor = UserFactory()
    Membership.objects.create(organization=org, user=editor, role=Membership.Role.EDITOR)
    client.force_login(editor)
    body = _detail(client, call).content.decode()
    assert reverse("grants:application_detail", kwargs={"pk": application.pk}) in body
    client.force_login(UserFactory())
    assert (
        reverse("grants:application_detail", kwargs={"pk": application.pk})
        not in _detail(client, call).content.decode()
    )


def test_unpublished_call_is_404_except_for_staff(client, english):
    call = CallFactory(is_published=False)
    assert _detail(client, call).status_code == 404
    client.force_login(UserFactory())
    assert _detail(client, call).status_code == 404
    client.force_login(StaffFactory())
    response = _detail(client, call)
    assert response.status_code == 200
    assert "Not published." in response.content.decode()
    assert reverse("admin:grants_call_change", args=[call.pk]) in response.content.decode()


def test_unknown_call_is_404(client):
    assert client.get(reverse("grants:call_detail", kwargs={"slug": "no-such-call"})).status_code == 404


def test_post_is_refused_and_head_works(client):
    call = CallFactory()
    assert client.post(reverse("grants:call_detail", kwargs={"slug": call.slug})).status_code == 405
    assert client.head(reverse("grants:call_detail", kwargs={"slug": call.slug})).status_code == 200
    assert client.head(reverse("grants:call_list")).status_code == 200


@pytest.mark.parametrize(
    ("language", "title"), [("sq", "Thirrja shqip"), ("sr-latn", "Poziv srpski"), ("en", "English call")]
)
def test_detail_shows_the_title_in_each_language(client, language, title):
    call = CallFactory(title_sq="Thirrja shqip", title_sr="Poziv srpski", title_en="English call")
    with translation.override(language):
        url = reverse("grants:call_detail", kwargs={"slug": call.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert f"<title>{title}" in response.content.decode()


def test_title_falls_back_to_albanian(client):
    call = CallFactory(title_sq="Vetëm shqip", title_sr="", title_en="")
    with translation.override("en"):
        url = reverse("grants:call_detail", kwargs={"slug": call.slug})
    assert "Vetëm shqip" in client.get(url).content.decode()


# --- documents ------------------------------------------------------------------------------


def test_document_download(client):
    call = CallFactory()
    document = _document(call, "Udhëzuesi i thirrjes", "sq")
    response = client.get(reverse("grants:call_document", kwargs={"slug": call.slug, "pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "udhezuesi-i-thirrjes.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_document_of_another_call_is_404(client):
    call, other = CallFactory(), CallFactory()
    document = _document(other)
    url = reverse("grants:call_document", kwargs={"slug": call.slug, "pk": document.pk})
    assert client.get(url).status_code == 404
    url = reverse("grants:call_document", kwargs={"slug": call.slug, "pk": 999999})
    assert client.get(url).status_code == 404


def test_document_of_unpublished_call_only_for_staff(client):
    call = CallFactory(is_published=False)
    document = _document(call)
    url = reverse("grants:call_document", kwargs={"slug": call.slug, "pk": document.pk})
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_document_with_missing_file_is_404(client):
    call = CallFactory()
    document = _document(call)
    document.file.storage.delete(document.file.name)
    url = reverse("grants:call_document", kwargs={"slug": call.slug, "pk": document.pk})
    assert client.get(url).status_code == 404


# --- navbar ---------------------------------------------------------------------------------


def _menu(client):
    return client.get(reverse("grants:call_list")).content.decode()


def test_navbar_for_anonymous(client):
    body = _menu(client)
    assert f'href="{reverse("grants:call_list")}"' in body
    assert f'href="{reverse("grants:awarded_list")}"' in body
    assert reverse("grants:my_applications") not in body
    assert reverse("grants:my_reviews") not in body
    assert reverse("grants:staff_calls") not in body


def test_navbar_for_a_citizen(client):
    client.force_login(UserFactory())
    body = _menu(client)
    assert reverse("grants:my_applications") in body
    assert reverse("grants:my_reviews") not in body
    assert reverse("grants:staff_calls") not in body


def test_navbar_for_a_reviewer_with_assignments(client):
    reviewer = UserFactory()
    application = ApplicationFactory()
    ReviewAssignment.objects.create(application=application, stage=application.stage, reviewer=reviewer)
    client.force_login(reviewer)
    body = _menu(client)
    assert reverse("grants:my_reviews") in body
    assert reverse("grants:staff_calls") not in body


def test_navbar_for_a_reviewer_pool_member(client):
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get_or_create(name="Grant reviewers")[0])
    client.force_login(reviewer)
    assert reverse("grants:my_reviews") in _menu(client)


def test_navbar_for_staff(client):
    client.force_login(StaffFactory())
    body = _menu(client)
    assert reverse("grants:my_applications") in body
    assert reverse("grants:my_reviews") in body
    assert reverse("grants:staff_calls") in body
