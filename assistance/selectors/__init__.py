"""Reads of the help desk, reused by views, the API, tasks and other apps."""

from assistance.selectors.requests import is_active_expert

__all__ = ["is_active_expert"]
