"""Public consultations' pages: the permission matrix (anonymous / citizen / the commenter /
another citizen / staff / staff whose session has not passed the second factor) of every
page, hostile input (never a 500), the page cache for visitors and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue.choices import ConsultationStatus
from dialogue.models import CommentSupport, ConsultationComment, ConsultationSection
from dialogue.services import consultations as services
from tests import factories
from tests.dialogue.factories import ConsultationFactory, consultation_comment, consultation_section
from tests.helpers import login, t

pytestmark = pytest.mark.django_db
K = ConsultationStatus

ROLES = ["anonymous", "citizen", "commenter", "other_citizen", "staff", "staff_no_2fa"]
LOGIN, MFA = "login", "mfa"


@pytest.fixture
def world(english):
    consultation = ConsultationFactory()
    section = consultation_section(consultation)
    draft = ConsultationFactory(status=K.DRAFT)
    draft_section = consultation_section(draft)
    commenter = factories.UserFactory()
    comment = consultation_comment(section, author=commenter, body="Please add lighting")
    return {
        "roles": {
            "anonymous": None,
            "citizen": factories.UserFactory(),
            "commenter": commenter,
            "other_citizen": factories.UserFactory(),
            "staff": factories.StaffFactory(),
            "staff_no_2fa": factories.StaffFactory(),
        },
        "consultation": consultation,
        "section": section,
        "draft": draft,
        "draft_section": draft_section,
        "comment": comment,
    }


def _as(client, world, role, monkeypatch):
    if role == "staff_no_2fa":
        monkeypatch.setattr("accounts.middleware.staff_mfa_satisfied", lambda request: False)
    return login(client, world["roles"][role])


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302 and reverse("mfa_activate_totp") in response["Location"]
    else:
        assert response.status_code == expected, response.content[:400]


def _matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


EVERYONE = dict.fromkeys(ROLES, 200)
STAFF = {
    "anonymous": LOGIN,
    "citizen": 403,
    "commenter": 403,
    "other_citizen": 403,
    "staff": 200,
    "staff_no_2fa": MFA,
}


@_matrix(**EVERYONE)
def test_public_list(client, world, role, expected, monkeypatch):
    _check(_as(client, world, role, monkeypatch).get(reverse("dialogue:consultation_list")), expected)


@_matrix(**EVERYONE)
def test_open_consultation_page(client, world, role, expected, monkeypatch):
    response = _as(client, world, role, monkeypatch).get(world["consultation"].get_absolute_url())
    _check(response, expected)
    assert "Please add lighting" in response.content.decode()


@_matrix(**{**STAFF, "anonymous": 404, "citizen": 404, "commenter": 404, "other_citizen": 404})
def test_draft_consultation_is_for_staff(client, world, role, expected, monkeypatch):
    _check(_as(client, world, role, monkeypatch).get(world["draft"].get_absolute_url()), expected)


@pytest.mark.parametrize("name", ["consultation_manage", "consultation_create", "answer_queue"])
@_matrix(**STAFF)
def test_staff_pages(client, world, role, expected, name, monkeypatch):
    _check(_as(client, world, role, monkeypatch).get(reverse(f"dialogue:{name}")), expected)


@pytest.mark.parametrize(
    "name,obj",
    [
        ("consultation_edit", "consultation"),
        ("section_create", "consultation"),
        ("section_edit", "section"),
        ("comment_answer", "comment"),
    ],
)
@_matrix(**STAFF)
def test_staff_pages_of_an_object(client, world, role, expected, name, obj, monkeypatch):
    url = reverse(f"dialogue:{name}", kwargs={"pk": world[obj].pk})
    _check(_as(client, world, role, monkeypatch).get(url), expected)


@_matrix(**{**STAFF, "staff": 302})
def test_open_a_draft(client, world, role, expected, monkeypatch):
    draft = world["draft"]
    response = _as(client, world, role, monkeypatch).post(
        reverse("dialogue:consultation_move", kwargs={"pk": draft.pk}), {"target": "open"}
    )
    _check(response, expected)
    draft.refresh_from_db()
    assert (draft.status == K.OPEN) == (expected == 302)


@_matrix(**{**dict.fromkeys(ROLES, 302), "anonymous": LOGIN})
def test_comment_on_a_section(client, world, role, expected, monkeypatch):
    section = world["section"]
    response = _as(client, world, role, monkeypatch).post(
        reverse("dialogue:consultation_comment", kwargs={"pk": section.pk}), {"body": f"From {role}"}
    )
    _check(response, expected)
    assert ConsultationComment.objects.filter(section=section, body=f"From {role}").exists() == (
        expected == 302
    )


@_matrix(**{**dict.fromkeys(ROLES, 302), "anonymous": LOGIN, "commenter": 400})
def test_support_a_comment(client, world, role, expected, monkeypatch):
    comment = world["comment"]
    response = _as(client, world, role, monkeypatch).post(
        reverse("dialogue:comment_support", kwargs={"pk": comment.pk})
    )
    _check(response, expected)
    assert CommentSupport.objects.filter(comment=comment).count() == (1 if expected == 302 else 0)


@_matrix(**{**STAFF, "staff": 302})
def test_answer_a_comment(client, world, role, expected, monkeypatch):
    comment = world["comment"]
    response = _as(client, world, role, monkeypatch).post(
        reverse("dialogue:comment_answer", kwargs={"pk": comment.pk}), {"verdict": "accepted", "reason": ""}
    )
    _check(response, expected)
    comment.refresh_from_db()
    assert (comment.verdict == "accepted") == (expected == 302)


def test_every_consultation_url_is_in_this_matrix():
    from dialogue.urls import urlpatterns

    covered = {
        "consultation_list", "consultation_detail", "consultation_comment", "comment_support",
        "consultation_manage", "consultation_create", "consultation_edit", "consultation_move",
        "section_create", "section_edit", "comment_answer", "answer_queue",
    }  # fmt: skip
    names = {p.name for p in urlpatterns if "consultation" in str(p.pattern)}
    assert names == covered


# --- the flow and its bad input --------------------------------------------------------------


def test_staff_publish_a_consultation_with_sections(client, english):
    staff = factories.StaffFactory()
    org = factories.OrganizationFactory()
    login(client, staff)
    now = timezone.localtime()
    response = client.post(
        reverse("dialogue:consultation_create"),
        {
            "title_sq": "Plani",
            "title_en": "The plan",
            "introduction_sq": "Hyrje",
            "organization": org.pk,
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    consultation = org.dialogue_consultations.get()
    assert consultation.status == K.DRAFT
    url = reverse("dialogue:section_create", kwargs={"pk": consultation.pk})
    assert client.post(url, {"heading_sq": "Hyrja", "body_sq": "Teksti", "another": "1"}).status_code == 302
    assert client.post(url, {"heading_sq": "Masat", "body_sq": "Teksti"}).status_code == 302
    assert list(consultation.sections.values_list("position", "heading_sq")) == [(1, "Hyrja"), (2, "Masat")]
    response = client.post(
        reverse("dialogue:consultation_move", kwargs={"pk": consultation.pk}), {"target": "open"}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == K.OPEN


def test_bad_consultation_form_is_a_400(client, english):
    login(client, factories.StaffFactory())
    response = client.post(
        reverse("dialogue:consultation_create"),
        {"title_sq": "", "opens_at": "2026-13-45T99:99", "closes_at": "yesterday", "organization": "999999"},
    )
    assert response.status_code == 400


def test_opening_without_sections_is_refused(client, english):
    draft = ConsultationFactory(status=K.DRAFT)
    login(client, factories.StaffFactory())
    response = client.post(reverse("dialogue:consultation_move", kwargs={"pk": draft.pk}), {"target": "open"})
    assert response.status_code == 400
    assert "Add at least one section" in response.content.decode()
    for target in ("closed", "nonsense", ""):
        response = client.post(
            reverse("dialogue:consultation_move", kwargs={"pk": draft.pk}), {"target": target}
        )
        assert response.status_code == 400


@pytest.mark.parametrize("status", [K.CLOSED, K.DRAFT])
def test_comment_on_a_closed_or_draft_consultation(client, status):
    consultation = ConsultationFactory(status=status)
    section = consultation_section(consultation)
    login(client, factories.UserFactory())
    response = client.post(
        reverse("dialogue:consultation_comment", kwargs={"pk": section.pk}), {"body": "Late"}
    )
    # a draft is hidden (404); a closed one says it is closed, in the page's language (sq)
    assert response.status_code == (404 if status == K.DRAFT else 400)
    if status == K.CLOSED:
        assert t("This consultation is not open for comments.") in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_comment_after_the_close_time_is_refused(client, english):
    consultation = ConsultationFactory(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(minutes=1)
    )
    section = consultation_section(consultation)
    login(client, factories.UserFactory())
    response = client.post(
        reverse("dialogue:consultation_comment", kwargs={"pk": section.pk}), {"body": "Late"}
    )
    assert response.status_code == 400 and "not open for comments" in response.content.decode()


@pytest.mark.parametrize("body", ["", "   ", "x" * 3001])
def test_bad_comment_keeps_the_page_and_says_why(client, world, body):
    login(client, world["roles"]["citizen"])
    section = world["section"]
    response = client.post(
        reverse("dialogue:consultation_comment", kwargs={"pk": section.pk}), {"body": body}
    )
    assert response.status_code == 400
    assert world["consultation"].title in response.content.decode()
    assert ConsultationComment.objects.count() == 1


def test_control_characters_in_a_comment_are_refused(client, world):
    login(client, world["roles"]["citizen"])
    response = client.post(
        reverse("dialogue:consultation_comment", kwargs={"pk": world["section"].pk}), {"body": "bad\x00byte"}
    )
    assert response.status_code == 400
    assert ConsultationComment.objects.count() == 1


def test_too_many_comments_is_a_429(client, world):
    citizen = world["roles"]["citizen"]
    login(client, citizen)
    url = reverse("dialogue:consultation_comment", kwargs={"pk": world["section"].pk})
    for n in range(services.RATE_MAX_COMMENTS):
        assert client.post(url, {"body": f"Comment {n}"}).status_code == 302
    response = client.post(url, {"body": "One more"})
    assert response.status_code == 429
    assert "One more" in response.content.decode()  # what was typed is kept


def test_support_twice_is_a_clear_400(client, world, english):
    login(client, world["roles"]["citizen"])
    url = reverse("dialogue:comment_support", kwargs={"pk": world["comment"].pk})
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 400
    assert "You already support this comment." in response.content.decode()
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert CommentSupport.objects.count() == 1


def test_support_with_htmx_swaps_the_button(client, world, english):
    login(client, world["roles"]["citizen"])
    response = client.post(
        reverse("dialogue:comment_support", kwargs={"pk": world["comment"].pk}), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="support-{world["comment"].pk}"' in content and "You support this comment" in content
    assert "<html" not in content


def test_support_own_comment_is_refused(client, world, english):
    login(client, world["roles"]["commenter"])
    response = client.post(reverse("dialogue:comment_support", kwargs={"pk": world["comment"].pk}))
    assert response.status_code == 400 and "your own comment" in response.content.decode()


def test_someone_elses_and_missing_ids(client, world):
    login(client, world["roles"]["citizen"])
    draft_comment = consultation_comment(world["draft_section"])
    for url in (
        reverse("dialogue:comment_support", kwargs={"pk": draft_comment.pk}),  # a comment of a draft
        reverse("dialogue:comment_support", kwargs={"pk": 987654}),
        reverse("dialogue:consultation_comment", kwargs={"pk": 987654}),
        reverse("dialogue:consultation_comment", kwargs={"pk": world["draft_section"].pk}),
    ):
        assert client.post(url, {"body": "x"}).status_code == 404
    assert client.get(reverse("dialogue:consultation_detail", kwargs={"pk": 987654})).status_code == 404
    login(client, world["roles"]["staff"])
    for name in ("consultation_edit", "section_create", "section_edit", "comment_answer"):
        assert client.get(reverse(f"dialogue:{name}", kwargs={"pk": 987654})).status_code == 404


def test_answer_needs_a_reason_and_may_be_edited(client, world, english):
    login(client, world["roles"]["staff"])
    comment = world["comment"]
    url = reverse("dialogue:comment_answer", kwargs={"pk": comment.pk})
    response = client.post(url, {"verdict": "rejected", "reason": ""})
    assert response.status_code == 400 and "reason" in response.content.decode()
    assert client.post(url, {"verdict": "nonsense"}).status_code == 400
    assert client.post(url, {"verdict": "partly", "reason": "Half"}).status_code == 302
    assert client.post(url, {"verdict": "accepted", "reason": ""}).status_code == 302  # an edit
    comment.refresh_from_db()
    assert (comment.verdict, comment.reason) == ("accepted", "")
    page = client.get(world["consultation"].get_absolute_url()).content.decode()
    assert "answered 1 of 1" in page and "Accepted" in page


def test_queue_lists_unanswered_comments(client, world, english):
    login(client, world["roles"]["staff"])
    other = consultation_comment(world["section"], body="Still waiting")
    services.comment_answer(comment=world["comment"], actor=world["roles"]["staff"], verdict="accepted")
    response = client.get(reverse("dialogue:answer_queue"))
    assert [c.pk for c in response.context["comments"]] == [other.pk]
    response = client.get(reverse("dialogue:answer_queue"), {"consultation": world["consultation"].pk})
    assert response.status_code == 200
    for junk in ("abc", "9" * 40, "987654"):
        assert client.get(reverse("dialogue:answer_queue"), {"consultation": junk}).status_code == 400


def test_section_with_comments_is_not_removed(client, world, english):
    login(client, world["roles"]["staff"])
    response = client.post(
        reverse("dialogue:section_edit", kwargs={"pk": world["section"].pk}), {"delete": "1"}
    )
    assert response.status_code == 400
    assert ConsultationSection.objects.filter(pk=world["section"].pk).exists()


@pytest.mark.parametrize(
    "query",
    [
        "state=nonsense",
        "state=open&page=abc",
        "page=99999",
        "state=%00",
        "page=-1",
        "state=closed&state=open",
    ],
)
def test_junk_query_parameters(client, world, query):
    response = client.get(reverse("dialogue:consultation_list") + "?" + query)
    assert response.status_code in (200, 400)


def test_list_filters(client, english):
    open_one = ConsultationFactory()
    closed = ConsultationFactory(status=K.CLOSED)
    ended = ConsultationFactory(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(minutes=1)
    )
    ConsultationFactory(status=K.DRAFT)
    url = reverse("dialogue:consultation_list")
    listed = lambda query: {c.pk for c in client.get(url, query).context["consultations"]}  # noqa: E731
    assert listed({}) == {open_one.pk, closed.pk, ended.pk}
    assert listed({"state": "open"}) == {open_one.pk}
    assert listed({"state": "closed"}) == {closed.pk, ended.pk}


def test_visitors_get_the_page_from_the_cache(client, world, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 600
    url = world["consultation"].get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    # one query: the permission's look-up of the consultation (a draft is never served)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    consultation_comment(world["section"], body="A new one")  # touches pages.dialogue
    assert "A new one" in client.get(url).content.decode()


def _seed(consultation, sections: int, comments: int):
    users = [factories.UserFactory() for _ in range(3)]
    for _ in range(sections):
        section = consultation_section(consultation)
        for n in range(comments):
            comment = consultation_comment(section, author=users[n % 3], body=f"c{n}")
            CommentSupport.objects.create(comment=comment, user=users[(n + 1) % 3])
            if n % 2:
                ConsultationComment.objects.filter(pk=comment.pk).update(verdict="rejected", reason="No")


@pytest.mark.parametrize("role", ["anonymous", "citizen", "staff"])
def test_consultation_page_queries_do_not_grow(client, world, django_assert_max_num_queries, role, settings):
    settings.PAGE_CACHE_SECONDS = 0
    login(client, world["roles"][role])
    consultation = ConsultationFactory()
    _seed(consultation, 2, 2)
    url = consultation.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _seed(consultation, 4, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_list_queries_do_not_grow(client, world, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("dialogue:consultation_list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(6):
        _seed(ConsultationFactory(organization=factories.OrganizationFactory()), 1, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    login(client, world["roles"]["staff"])
    with CaptureQueriesContext(connection) as staff_small:
        client.get(reverse("dialogue:consultation_manage"))
        client.get(reverse("dialogue:answer_queue"))
    for _ in range(4):
        _seed(ConsultationFactory(organization=factories.OrganizationFactory()), 1, 2)
    with django_assert_max_num_queries(len(staff_small.captured_queries)):
        client.get(reverse("dialogue:consultation_manage"))
        client.get(reverse("dialogue:answer_queue"))


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_pages_in_every_language(client, world, language):
    login(client, world["roles"]["citizen"])
    with_lang = lambda url: url.replace("/sq/", f"/{language}/", 1)  # noqa: E731
    for url in (reverse("dialogue:consultation_list"), world["consultation"].get_absolute_url()):
        response = client.get(with_lang(url))
        assert response.status_code == 200, url


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_the_pdf_button_of_too_many_comments_is_disabled_with_the_reason_and_the_xlsx(
    client, world, monkeypatch, language
):
    """Past PDF_MAX_COMMENTS comments a PDF is refused when started (core.reports refusal): the
    organiser's page no longer offers a button that fails, it says why and points to the XLSX."""
    from django.utils.html import escape

    from dialogue import exports

    monkeypatch.setattr(exports, "PDF_MAX_COMMENTS", 1)
    login(client, world["roles"]["staff"])
    path = world["consultation"].get_absolute_url()  # /en/... (the world is built in English)
    url = f"/{language}{path[path.index('/', 1) :]}"
    reason = t(
        "This consultation has %(count)s comments, more than a PDF report holds (%(max)s). "
        "Download the XLSX report instead.",
        language,
        count=2,
        max=1,
    )
    html = client.get(url).content.decode()  # one comment: the PDF goes
    assert 'name="format" value="pdf"' in html and 'name="format" value="xlsx"' in html
    assert 'aria-describedby="report-refusal-pdf"' not in html
    consultation_comment(world["section"], body="Also benches")
    html = client.get(url).content.decode()
    assert 'name="format" value="pdf"' not in html and 'name="format" value="xlsx"' in html
    assert 'disabled aria-describedby="report-refusal-pdf"' in html
    assert (
        f'<p id="report-refusal-pdf" class="small text-body-secondary w-100 mb-0">{escape(reason)}</p>'
        in html
    )
    if language != "en":
        assert "XLSX" in reason and "Download the XLSX" not in reason  # in the page's language
