"""The accounts pages that apps above fill (see core.pages): the dashboard ("My portal")."""

from core.pages import PageContext

DASHBOARD = PageContext("accounts:dashboard")
