"""`check --deploy` warns when the cache is not shared between processes."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from core import checks

pytestmark = pytest.mark.django_db


def test_a_process_local_cache_is_flagged_for_deployment():
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        assert [w.id for w in checks.shared_cache(None)] == ["core.W001"]
        assert "core.W001" in [m.id for m in run_checks(include_deployment_checks=True)]
        assert "core.W001" not in [m.id for m in run_checks()]


def test_redis_is_fine():
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    with override_settings(CACHES=redis):
        assert checks.shared_cache(None) == []
