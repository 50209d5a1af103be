"""The consultations API: public read of open and closed consultations with their sections and
counts of comments and answered comments; drafts never shown; bad filters a 400."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dialogue.choices import ConsultationStatus
from dialogue.models import ConsultationComment
from tests.dialogue.factories import ConsultationFactory, consultation_comment, consultation_section

pytestmark = pytest.mark.django_db
URL = "/api/v1/dialogue/consultations/"
K = ConsultationStatus


def _with_comments(consultation, sections=2, comments=2):
    for _ in range(sections):
        section = consultation_section(consultation)
        for n in range(comments):
            comment = consultation_comment(section)
            if n == 0:
                ConsultationComment.objects.filter(pk=comment.pk).update(verdict="accepted")
    return consultation


def test_public_read_with_sections_and_counts(django_assert_max_num_queries):
    open_one = _with_comments(ConsultationFactory())
    closed = _with_comments(
        ConsultationFactory(status=K.CLOSED, opens_at=timezone.now() - timedelta(days=9)), 1, 1
    )
    draft = _with_comments(ConsultationFactory(status=K.DRAFT))
    api = APIClient()
    with django_assert_max_num_queries(4):
        body = api.get(URL).json()
    by_id = {c["id"]: c for c in body["results"]}
    assert set(by_id) == {open_one.pk, closed.pk}
    item = by_id[open_one.pk]
    assert (item["comment_count"], item["answered_count"], item["accepting_comments"]) == (4, 2, True)
    assert [s["position"] for s in item["sections"]] == [1, 2]
    assert (item["sections"][0]["comment_count"], item["sections"][0]["answered_count"]) == (2, 1)
    assert by_id[closed.pk]["accepting_comments"] is False
    assert [c["id"] for c in api.get(URL, {"state": "closed"}).json()["results"]] == [closed.pk]
    assert [c["id"] for c in api.get(URL, {"state": "open"}).json()["results"]] == [open_one.pk]
    assert api.get(f"{URL}{open_one.pk}/").json()["sections"][1]["position"] == 2
    assert api.get(f"{URL}{draft.pk}/").status_code == 404
    assert api.get(f"{URL}999999/").status_code == 404


def test_queries_do_not_grow(django_assert_max_num_queries):
    for _ in range(3):
        _with_comments(ConsultationFactory())
    api = APIClient()
    with django_assert_max_num_queries(4):
        api.get(URL)
    for _ in range(6):
        _with_comments(ConsultationFactory(), 3, 2)
    with django_assert_max_num_queries(4):
        assert api.get(URL).status_code == 200


@pytest.mark.parametrize("query", [{"state": "nope"}, {"state": ""}, {"page": "abc"}, {"state": "\x00"}])
def test_bad_filters_are_a_400_or_ignored(query):
    ConsultationFactory()
    assert APIClient().get(URL, query).status_code in (400, 404)
