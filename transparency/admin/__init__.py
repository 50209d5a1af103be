"""Transparency admin, one module per part of the platform."""

from transparency.admin import badges, funding_strategy, reports  # noqa: F401
