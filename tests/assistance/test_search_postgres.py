"""The knowledge base's full-text search on PostgreSQL (django.contrib.postgres): run with
DATABASE_URL pointing at PostgreSQL; skipped on SQLite, where test_views.py covers the plain
fallback. English stems words; Albanian and Serbian match whole words, case-folded."""

import pytest
from django.db import connection

from assistance.selectors.knowledge import search_entries
from tests.assistance.factories import KnowledgeEntryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


@pytest.fixture
def entries():
    statute = KnowledgeEntryFactory(
        question_sq="Si ta ndryshojmë statutin e shoqatës?",
        answer_sq="Kuvendi i anëtarëve vendos për ndryshimin e statutit.",
        question_sr="Kako da izmenimo statut udruženja?",
        answer_sr="Skupština članova odlučuje o izmeni statuta.",
        question_en="How do we change the statute of an association?",
        answer_en="The members' assembly decides on changes to the statute.",
    )
    other = KnowledgeEntryFactory(
        question_sq="Dhurimet nga diaspora", answer_sq="Raportoni çdo dhurim.",
        question_sr="Donacije iz dijaspore", answer_sr="Izveštavajte o svakoj donaciji.",
        question_en="Gifts from the diaspora", answer_en="Report every gift.",
    )  # fmt: skip
    return statute, other


@pytest.mark.parametrize(
    "language,query,expected",
    [
        ("sq", "statutit", "statute"),
        ("sq", "KUVENDI", "statute"),
        ("sq", "dhurim", "other"),
        ("sq", "skupština", None),
        ("sr-latn", "skupština", "statute"),
        ("sr-latn", "donaciji", "other"),
        ("en", "changing statutes", "statute"),  # stemmed: change/changing, statute/statutes
        ("en", "gifts -statute", "other"),  # websearch syntax: a minus excludes
        ("en", "kuvendi", None),
    ],
)
def test_full_text_search_per_language(entries, language, query, expected):
    statute, other = entries
    found = list(search_entries(query=query, language=language))
    assert found == ({"statute": [statute], "other": [other], None: []}[expected])


def test_junk_queries_do_not_fail(entries):
    for junk in ["'", "&|!", "():*", "\\", "a" * 300, "   "]:
        list(search_entries(query=junk, language="sq"))
