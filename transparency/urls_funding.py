"""Public funding of CSOs, under /<lang>/transparency/public-funding/."""

from django.urls import path

from transparency import views_funding

urlpatterns = [
    path("", views_funding.funding_dashboard, name="funding_dashboard"),
    path("import/", views_funding.funding_import, name="funding_import"),
    path("import/template.csv", views_funding.funding_import_template, name="funding_import_template"),
    path("reconciliation/", views_funding.funding_reconciliation, name="funding_reconciliation"),
]
