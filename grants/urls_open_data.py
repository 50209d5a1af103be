"""Awarded grants, public (namespace "grants")."""

urlpatterns = []
