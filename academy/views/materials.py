"""A session's materials: the cohort's participants, facilitators, mentors and staff see and
download them (anyone else: 404); the facilitator and staff add files and links.

`material_added` and `material_file` are the add form's POST and the download of a stored
material, shared with the CSO trainings' materials (`academy.views.trainings`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import selectors
from academy.forms import MaterialForm
from academy.services import materials
from academy.views.common import load_material, load_session
from core.forms import add_service_errors
from core.permissions import permission
from core.private_files import file_response


def material_added(request, form, add) -> bool:
    """The add form's POST: True when the form is valid and `add(cleaned_data)` (a service)
    took it, with the message said; False with the errors on `form` (the page is shown again
    with them, a 400)."""
    if not form.is_valid():
        return False
    try:
        add(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("The material was added."))
    return True


def material_file(material):
    """A stored material's file (private; its checked type, core.private_files)."""
    return file_response(
        material.file,
        filename=material.original_name or f"material.{material.file_type}",
        file_type=material.file_type,
    )


def _page(request, session, form=None, status=200):
    can_manage = request.user.has_perm("academy.manage_materials", session)
    return render(
        request,
        "academy/materials.html",
        {
            "session": session,
            "cohort": session.cohort,
            "materials": selectors.session_materials(session),
            "can_manage": can_manage,
            "form": (form or MaterialForm()) if can_manage else None,
        },
        status=status,
    )


@permission("academy.view_materials", load=load_session, pass_as="session", refuse=404)
@require_http_methods(["GET", "POST"])
def session_materials(request, pk, session):
    if request.method == "GET":
        return _page(request, session)
    if not request.user.has_perm("academy.manage_materials", session):
        raise Http404
    form = MaterialForm(request.POST, request.FILES)

    def add(data):
        materials.material_add(
            actor=request.user,
            session=session,
            title=data["title"],
            upload=data.get("file"),
            link=data.get("link", ""),
        )

    if material_added(request, form, add):
        return redirect("academy:materials", pk=session.pk)
    return _page(request, session, form=form, status=400)


@permission(
    "academy.view_materials", load=load_material, on=lambda m: m.session, pass_as="material", refuse=404
)
@require_GET
@never_cache
def material_download(request, pk, material):
    if material.link:
        return redirect(material.link)
    return material_file(material)


@permission(
    "academy.manage_materials", load=load_material, on=lambda m: m.session, pass_as="material", refuse=404
)
@require_POST
def material_delete(request, pk, material):
    session = material.session
    materials.material_remove(actor=request.user, material=material)
    messages.success(request, _("The material was removed."))
    return redirect("academy:materials", pk=session.pk)
