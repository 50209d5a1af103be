"""The pages with real input: asking for help with files, bad input of every kind (a clear
message and a 4xx, nothing saved lost), the thread with and without htmx, closing with a
rating, publishing with consent, the knowledge base search in each language (SQLite here;
test_search_postgres.py runs the same on PostgreSQL), and flat query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assistance.choices import RequestStatus
from assistance.models import HelpRequest, KnowledgeEntry, Message, Rating
from assistance.services import requests as services
from organizations.models import Membership
from tests import factories
from tests.assistance.factories import (
    ExpertFactory,
    KnowledgeEntryFactory,
    answered,
    assigned,
    pdf_upload,
    private_files,  # noqa: F401  (fixture)
    submitted,
)
from tests.factories import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "english")]


def _editor():
    org = factories.OrganizationFactory()
    return org, member_of(org, Membership.Role.EDITOR)


def _form(org, **extra):
    return {
        "organization": org.pk if org else "",
        "category": "legal",
        "title": "Ndryshimi i statutit",
        "description": "Si ta ndryshojmë statutin?",
        "urgency": "normal",
        "language": "sq",
        "municipality": "",
        **extra,
    }


def test_ask_for_help_with_a_pdf(client):
    org, editor = _editor()
    client.force_login(editor)
    response = client.post(reverse("assistance:request_create"), {**_form(org), "files": [pdf_upload()]})
    request = HelpRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "assistance:request_detail", args=[request.pk]
    )
    assert request.organization == org and request.attachments.count() == 1


def test_a_wrong_file_is_refused_with_the_form_kept(client):
    org, editor = _editor()
    client.force_login(editor)
    fake = SimpleUploadedFile("notes.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("assistance:request_create"), {**_form(org), "files": [fake]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "notes.pdf" in page and "Upload a PDF" in page
    assert "Si ta ndryshojmë statutin?" in page  # what was typed is kept
    assert not HelpRequest.objects.exists()


def test_someone_elses_organisation_is_not_a_choice(client):
    _org, editor = _editor()
    client.force_login(editor)
    response = client.post(reverse("assistance:request_create"), _form(factories.OrganizationFactory()))
    assert response.status_code == 400 and not HelpRequest.objects.exists()


def test_missing_fields_are_a_400(client):
    _org, editor = _editor()
    client.force_login(editor)
    response = client.post(reverse("assistance:request_create"), {"category": "nonsense", "urgency": "x"})
    assert response.status_code == 400 and not HelpRequest.objects.exists()


def test_message_with_htmx_returns_the_thread(client):
    request = assigned()
    client.force_login(request.requester)
    response = client.post(
        reverse("assistance:message_post", args=[request.pk]),
        {"body": "A follow-up question"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="thread"' in response.content.decode() and "A follow-up question" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_message_without_js_redirects_and_an_empty_one_is_a_400(client):
    request = assigned()
    client.force_login(request.requester)
    url = reverse("assistance:message_post", args=[request.pk])
    assert client.post(url, {"body": "Hello"}).status_code == 302
    assert client.post(url, {"body": "   "}).status_code == 400
    assert client.post(url, {"body": ""}, HTTP_HX_REQUEST="true").status_code == 400
    assert Message.objects.count() == 1


def test_message_with_a_wrong_file_keeps_the_text(client):
    request = assigned()
    client.force_login(request.requester)
    fake = SimpleUploadedFile("x.png", b"GIF89a....", content_type="image/png")
    response = client.post(
        reverse("assistance:message_post", args=[request.pk]), {"body": "See file", "files": [fake]}
    )
    assert response.status_code == 400 and "See file" in response.content.decode()
    assert not Message.objects.exists()


def test_rating_before_the_answer_and_twice_is_a_400(client):
    request = assigned()
    client.force_login(request.requester)
    url = reverse("assistance:request_close", args=[request.pk])
    response = client.post(url, {"score": "5", "solved": "yes"})
    assert response.status_code == 400 and "once the request is answered" in response.content.decode()
    request = services.request_answer(actor=request.expert.user, request=request, answer="ok")
    assert client.post(url, {"score": "9", "solved": "yes"}).status_code == 400  # out of range
    assert client.post(url, {"score": "5", "solved": "yes", "consent": "on"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.consent_to_publish
    response = client.post(url, {"score": "1", "solved": "no"})
    assert response.status_code == 400 and "already been rated" in response.content.decode()
    assert Rating.objects.get().score == 5


def test_requester_rates_after_staff_closed(client):
    request = answered()
    request = services.request_close(actor=factories.StaffFactory(), request=request)
    client.force_login(request.requester)
    assert (
        client.post(
            reverse("assistance:request_close", args=[request.pk]), {"score": "3", "solved": "no"}
        ).status_code
        == 302
    )
    assert Rating.objects.get().score == 3


def test_answer_is_required(client):
    request = assigned()
    client.force_login(request.expert.user)
    assert (
        client.post(reverse("assistance:request_answer", args=[request.pk]), {"answer": ""}).status_code
        == 400
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED


def test_assign_to_an_expert_who_does_not_cover_the_category_is_a_400(client):
    request = submitted(category="fundraising")
    client.force_login(factories.StaffFactory())
    legal = ExpertFactory(categories=["legal"])
    response = client.post(reverse("assistance:request_assign", args=[request.pk]), {"expert": legal.pk})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.expert is None


def test_decline_without_a_reason_is_a_400(client):
    request = submitted()
    client.force_login(factories.StaffFactory())
    assert (
        client.post(reverse("assistance:request_decline", args=[request.pk]), {"reason": ""}).status_code
        == 400
    )


TEXTS = {
    "category": "legal",
    "question_sq": "A duhet miratimi i kuvendit për ndryshimin e statutit?",
    "question_sr": "Da li je za izmenu statuta potrebna odluka skupštine?",
    "question_en": "Does a change of the statute need the assembly's decision?",
    "answer_sq": "Po, kuvendi vendos me shumicë.",
    "answer_sr": "Da, skupština odlučuje većinom.",
    "answer_en": "Yes, the assembly decides by majority.",
}


def test_publishing_without_consent_is_a_400_and_with_it_works(client):
    request = answered()
    client.force_login(factories.StaffFactory())
    url = reverse("assistance:knowledge_publish", args=[request.pk])
    response = client.post(url, TEXTS)
    assert response.status_code == 400 and "not agreed" in response.content.decode()
    assert not KnowledgeEntry.objects.exists()
    services.consent_set(actor=request.requester, request=request, consent=True)
    assert client.post(url, {**TEXTS, "answer_sr": ""}).status_code == 400
    response = client.post(url, TEXTS)
    entry = KnowledgeEntry.objects.get()
    assert response["Location"] == reverse("assistance:knowledge_detail", args=[entry.pk])
    # The original stays private: the public page shows the anonymised texts only.
    public = client.get(reverse("assistance:knowledge_detail", args=[entry.pk])).content.decode()
    assert request.title not in public and request.reference not in public


@pytest.mark.parametrize(
    "language,query,found",
    [
        ("sq", "statutit", True),
        ("sq", "kuvendi", True),
        ("sr-latn", "skupština", True),
        ("sr-latn", "statutit", False),  # Albanian words are not searched on the Serbian page
        ("en", "assembly", True),
        ("en", "nothing-like-this", False),
    ],
)
def test_search_in_each_language(client, language, query, found):
    entry = KnowledgeEntryFactory(**{k: v for k, v in TEXTS.items() if k != "category"})
    KnowledgeEntryFactory(
        question_sq="Tjetër",
        question_sr="Drugo",
        question_en="Other",
        answer_sq="-",
        answer_sr="-",
        answer_en="-",
    )
    with translation.override(language):
        url = reverse("assistance:knowledge_list")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    assert list(response.context["entries"]) == ([entry] if found else [])


def test_search_by_category_and_junk(client):
    KnowledgeEntryFactory(category="legal")
    response = client.get(reverse("assistance:knowledge_list"), {"category": "fundraising"})
    assert list(response.context["entries"]) == []
    assert client.get(reverse("assistance:knowledge_list"), {"category": "<script>"}).status_code == 400
    assert client.get(reverse("assistance:knowledge_list"), {"q": "x" * 3000}).status_code == 400


def test_helpful_counts_once_per_session(client):
    entry = KnowledgeEntryFactory()
    url = reverse("assistance:knowledge_vote", args=[entry.pk])
    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "maybe"})
    entry.refresh_from_db()
    assert (entry.helpful_yes, entry.helpful_no) == (1, 0)


def test_lists_run_a_flat_number_of_queries(client, django_assert_max_num_queries):
    org, editor = _editor()
    staff = factories.StaffFactory()
    expert = ExpertFactory()
    for _ in range(3):
        services.request_assign(
            actor=staff, request=submitted(requester=editor, organization=org), expert=expert
        )
    for _ in range(3):
        KnowledgeEntryFactory()

    def counts():
        found = []
        for user, name in (
            (editor, "my_requests"),
            (expert.user, "expert_inbox"),
            (staff, "triage"),
            (None, "knowledge_list"),
        ):
            client.logout()
            if user:
                client.force_login(user)
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(f"assistance:{name}"), {"view": "all"}).status_code == 200
            found.append(len(ctx))
        return found

    before = counts()
    for _ in range(6):
        services.request_assign(
            actor=staff, request=submitted(requester=editor, organization=org), expert=expert
        )
        KnowledgeEntryFactory()
    assert counts() == before


def test_the_same_form_sent_twice_makes_one_request_and_one_message(client):
    org, editor = _editor()
    client.force_login(editor)
    page = client.get(reverse("assistance:request_create"))
    key = page.context["form"].initial["submission_key"]
    for _ in range(2):
        response = client.post(reverse("assistance:request_create"), {**_form(org), "submission_key": key})
        assert response.status_code == 302
    request = HelpRequest.objects.get()
    url = reverse("assistance:message_post", args=[request.pk])
    message_key = (
        client.get(reverse("assistance:request_detail", args=[request.pk]))
        .context["message_form"]
        .initial["submission_key"]
    )
    for _ in range(2):
        assert client.post(url, {"body": "Hello", "submission_key": message_key}).status_code == 302
    assert Message.objects.count() == 1
