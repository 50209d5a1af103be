"""core.fragments: a fragment is rebuilt after its topics are touched, never served stale,
and the page still works when the cache does not answer."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from core import fragments


class Builder:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"built {self.calls}"


def get(build, *, parts=("en",), topics=("t.1",)):
    return fragments.cached("test.fragment", parts, topics=topics, build=build, timeout=60)


def test_built_once_then_from_the_cache():
    build = Builder()
    assert get(build) == "built 1"
    assert get(build) == "built 1"
    assert build.calls == 1


def test_parts_tell_fragments_apart():
    build = Builder()
    assert get(build, parts=("en", 1)) == "built 1"
    assert get(build, parts=("sq", 1)) == "built 2"
    assert get(build, parts=("en", 1)) == "built 1"


def test_touching_a_topic_rebuilds_only_what_was_built_from_it():
    build_1, build_2 = Builder(), Builder()
    get(build_1, topics=("t.1", "names"))
    get(build_2, topics=("t.2", "names"))
    fragments.touch("t.1")
    assert get(build_1, topics=("t.1", "names")) == "built 2"
    assert get(build_2, topics=("t.2", "names")) == "built 1"
    fragments.touch("names")  # shared by both
    assert get(build_1, topics=("t.1", "names")) == "built 3"
    assert get(build_2, topics=("t.2", "names")) == "built 2"


@pytest.mark.django_db(transaction=True)
def test_touched_now_and_again_when_the_transaction_commits():
    build = Builder()
    get(build)
    with transaction.atomic():
        fragments.touch("t.1")
        assert get(build) == "built 2"  # this transaction reads afresh at once
        # A request that read the data before the commit filed it under the new token …
        get(build)
    # … and the commit renews the token again, so that copy is never served.
    assert get(build) == "built 3"


def test_a_token_the_cache_lost_is_a_miss_not_an_old_hit():
    build = Builder()
    get(build)
    cache.delete(f"{fragments.TOKEN_PREFIX}t.1")
    assert get(build) == "built 2"
    assert get(build) == "built 2"


def test_without_a_cache_the_fragment_is_built_every_time():
    build = Builder()
    with mock.patch.object(fragments, "cache") as broken:
        broken.get_many.side_effect = ConnectionError("redis down")
        broken.set_many.side_effect = ConnectionError("redis down")
        assert get(build) == "built 1"
        assert get(build) == "built 2"
        fragments.touch("t.1")  # does not raise either


def test_a_cache_that_cannot_store_still_gives_the_fragment():
    build = Builder()
    with mock.patch.object(fragments.cache, "set", side_effect=ConnectionError("full")):
        assert get(build) == "built 1"


def test_query_key_keeps_only_plain_queries():
    from django.http import QueryDict

    allowed = ("stage", "page")
    assert fragments.query_key(QueryDict(""), allowed) == ""
    assert fragments.query_key(QueryDict("page=2&stage=full"), allowed) == "page=2&stage=full"
    assert fragments.query_key(QueryDict("stage=full&page=2"), allowed) == "page=2&stage=full"
    # A value holding "&" or "=" is escaped, so it never reads as other parameters.
    assert fragments.query_key(QueryDict("stage=a%26page%3D2"), allowed) != fragments.query_key(
        QueryDict("page=2&stage=a"), allowed
    )
    for odd in ("utm=1", "page=0", "page=abc", "page=999", "stage=a&stage=b", "page=" + "1" * 40, "page=²"):
        assert fragments.query_key(QueryDict(odd), allowed) is None, odd
