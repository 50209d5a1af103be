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


def load_training(request, pk, **kwargs):
    from academy.models import Training

    training = Training.objects.filter(pk=_pk(pk)).first()
    if training is None:
        raise Http404
    return training


def load_organization(request, pk=None, ref=None, **kwargs):
    """An active organisation of the registry (organizations.selectors), by id or by slug."""
    from organizations.selectors import public_organizations

    ref = pk if ref is None else ref
    organizations = public_organizations()
    if str(ref).isdigit():
        organization = organizations.filter(pk=_pk(ref)).first()
    else:
        organization = organizations.filter(slug=str(ref)[:220]).first()
    if organization is None:
        raise Http404
    return organization


def refusal(request, error, *, back=None):
    """A refusal page for a service's error: 403 when not allowed, 409 when the state does
    not allow it (already done, too early, full, closed), else 400."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import render

    from core.permissions import error_text

    if isinstance(error, PermissionDenied):
        reason, status = str(error) or None, 403
    else:
        reason = error_text(error)
        status = 409 if getattr(error, "code", None) in CONFLICT_CODES else 400
    return render(request, "academy/refused.html", {"reason": reason, "back": back}, status=status)


CONFLICT_CODES = {
    "already_registered",
    "closed",
    "started",
    "full",
    "already",
    "too_early",
    "no_baseline",
    "not_ended",
    "not_running",
}


def error_status(error) -> int:
    from django.core.exceptions import PermissionDenied

    if isinstance(error, PermissionDenied):
        return 403
    return 409 if getattr(error, "code", None) in CONFLICT_CODES else 400


def load_material(request, pk, **kwargs):
    from academy.models import SessionMaterial

    material = SessionMaterial.objects.select_related("session__cohort").filter(pk=_pk(pk)).first()
    if material is None:
        raise Http404
    return material
