"""Reads of the public knowledge base: published entries, by category, searched by full text
in the page's language.

On PostgreSQL the search is PostgreSQL's full-text search (django.contrib.postgres): the
question and answer of the language as a SearchVector, the words typed as a websearch
SearchQuery; English uses the 'english' configuration (stems), Albanian and Serbian the
'simple' one (PostgreSQL has no dictionary for them: words are matched whole, case-folded).
On SQLite (development, the quick test run) it is a plain `icontains` on the same fields;
`connection.vendor` decides.
"""

from django.db import connection
from django.db.models import Q, QuerySet

from assistance.models import KnowledgeEntry

SEARCH_CONFIGS = {"sq": "simple", "sr": "simple", "en": "english"}
MAX_QUERY_LENGTH = 200


def published_entries(*, category: str = "") -> QuerySet[KnowledgeEntry]:
    qs = KnowledgeEntry.objects.filter(published=True)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-published_at", "-pk")


def search_entries(
    *, query: str, language: str | None = None, category: str = ""
) -> QuerySet[KnowledgeEntry]:
    """Published entries matching `query` in `language` (the page's by default), best first."""
    qs = published_entries(category=category)
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    if not query:
        return qs
    suffix = KnowledgeEntry.suffix(language)
    question, answer = f"question_{suffix}", f"answer_{suffix}"
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = SEARCH_CONFIGS[suffix]
        vector = SearchVector(question, weight="A", config=config) + SearchVector(
            answer, weight="B", config=config
        )
        search = SearchQuery(query, config=config, search_type="websearch")
        return (
            qs.annotate(document=vector, rank=SearchRank(vector, search))
            .filter(document=search)
            .order_by("-rank", "-published_at", "-pk")
        )
    words = query.split()
    for word in words:
        qs = qs.filter(Q(**{f"{question}__icontains": word}) | Q(**{f"{answer}__icontains": word}))
    return qs


def entry_for_page(pk: int) -> KnowledgeEntry | None:
    return KnowledgeEntry.objects.filter(pk=pk, published=True).first()
