"""Loaders the views share: each finds one object or raises Http404."""

from django.http import Http404

from academy.models import Cohort, CohortApplication, CommunityProject, Session


def _pk(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**31:
        raise Http404
    return number


def load_cohort(request, pk, **kwargs) -> Cohort:
    cohort = Cohort.objects.filter(pk=_pk(pk)).first()
    if cohort is None:
        raise Http404
    return cohort


def load_application(request, pk, **kwargs) -> CohortApplication:
    application = (
        CohortApplication.objects.select_related("cohort", "applicant", "municipality", "mentor")
        .filter(pk=_pk(pk))
        .first()
    )
    if application is None:
        raise Http404
    return application


def load_session(request, pk, **kwargs) -> Session:
    session = Session.objects.select_related("cohort", "module").filter(pk=_pk(pk)).first()
    if session is None:
        raise Http404
    return session


def load_project(request, pk, **kwargs) -> CommunityProject:
    project = CommunityProject.objects.select_related("cohort").filter(pk=_pk(pk)).first()
    if project is None:
        raise Http404
    return project


def load_material(request, pk, **kwargs):
    from academy.models import SessionMaterial

    material = SessionMaterial.objects.select_related("session__cohort").filter(pk=_pk(pk)).first()
    if material is None:
        raise Http404
    return material
