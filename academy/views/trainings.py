"""CSO capacity trainings: the public list and page, an organisation's registration (names of
the staff who attend), the materials, the feedback form after the training, and the staff
pages (set up, materials, attendance with one tap, registrations and the feedback summary)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import selectors
from academy.choices import AssessmentKind
from academy.forms import FeedbackForm, TrainingForm, TrainingMaterialForm
from academy.models import SelfAssessment, TrainingFeedback, TrainingRegistration
from academy.services import trainings as service
from academy.views.common import _pk, error_status, load_training, refusal
from academy.views.materials import material_added, material_file
from core.forms import add_service_errors
from core.permissions import permission, public, signed_in, staff_page
from organizations.selectors import organizations_editable_by

PAGE_SIZE = 20
ROWS = 8  # attendee rows on the registration form


@public
@require_GET
def training_list(request):
    page_obj = Paginator(selectors.trainings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "academy/training_list.html",
        {"page_obj": page_obj, "trainings": page_obj.object_list, "now": timezone.now()},
    )


@public
@require_GET
def training_detail(request, pk):
    training = load_training(request, pk)
    user = request.user
    mine, can_register, editable, with_baseline = [], False, [], set()
    if user.is_authenticated:
        mine = list(
            TrainingRegistration.objects.filter(training=training, organization__memberships__user=user)
            .select_related("organization")
            .prefetch_related("attendees")
            .distinct()
        )
        editable = list(organizations_editable_by(user=user).values_list("pk", flat=True))
        with_baseline = set(
            SelfAssessment.objects.filter(
                organization_id__in=[r.organization_id for r in mine], kind=AssessmentKind.BASELINE
            ).values_list("organization_id", flat=True)
        )
        can_register = training.registration_is_open() and bool(editable)
    can_feedback = user.has_perm("academy.give_training_feedback", training)
    return render(
        request,
        "academy/training_detail.html",
        {
            "training": training,
            "taken": training.attendees.count(),
            "mine": mine,
            "editable_ids": editable,
            "with_baseline": with_baseline,
            "can_register": can_register,
            "started": training.has_started(),
            "materials": training.materials.all()
            if user.has_perm("academy.view_training_materials", training)
            else None,
            "can_feedback": can_feedback,
            "gave_feedback": can_feedback
            and TrainingFeedback.objects.filter(training=training, author=user).exists(),
        },
    )


def _rows(post) -> list[tuple[str, str]]:
    names, emails = post.getlist("attendee_name")[:100], post.getlist("attendee_email")[:100]
    emails += [""] * (len(names) - len(emails))
    return list(zip(names, emails, strict=False))


def _register_page(
    request, training, *, organizations, organization, registration, rows, error=None, status=200
):
    rows = list(rows) + [("", "")] * max(ROWS - len(rows), 2)
    return render(
        request,
        "academy/training_register.html",
        {
            "training": training,
            "organizations": organizations,
            "organization": organization,
            "registration": registration,
            "rows": rows,
            "error": error,
            "free": max(training.places - training.attendees.exclude(registration=registration).count(), 0),
        },
        status=status,
    )


@signed_in
@require_http_methods(["GET", "POST"])
def training_register(request, pk):
    """An editor registers their organisation (or changes its registration)."""
    training = load_training(request, pk)
    organizations = list(organizations_editable_by(user=request.user).order_by("name"))
    if not organizations:
        return render(
            request,
            "academy/refused.html",
            {"reason": _("You can register only an organisation whose profile you edit.")},
            status=403,
        )
    source = request.POST if request.method == "POST" else request.GET
    only = organizations[0].pk if len(organizations) == 1 and request.method == "GET" else ""
    chosen = (source.get("organization") or "")[:20] or only
    organization = next((o for o in organizations if str(o.pk) == str(chosen)), None)
    if chosen and organization is None:
        return render(
            request,
            "academy/refused.html",
            {"reason": _("You can register only an organisation whose profile you edit.")},
            status=403,
        )
    registration = (
        TrainingRegistration.objects.filter(training=training, organization=organization)
        .prefetch_related("attendees")
        .first()
        if organization
        else None
    )
    if request.method == "POST":
        rows = _rows(request.POST)
        if organization is None:
            return _register_page(
                request,
                training,
                organizations=organizations,
                organization=None,
                registration=None,
                rows=rows,
                error=_("Choose the organisation you register."),
                status=400,
            )
        try:
            service.registration_save(
                actor=request.user,
                training=training,
                organization_id=chosen,
                attendees=rows,
                registration_id=request.POST.get("registration") or None,
            )
        except (ValidationError, PermissionDenied) as exc:
            message = str(exc) if isinstance(exc, PermissionDenied) else " ".join(exc.messages)
            return _register_page(
                request,
                training,
                organizations=organizations,
                organization=organization,
                registration=registration,
                rows=rows,
                error=message,
                status=error_status(exc),
            )
        messages.success(request, _("Your organisation's registration was saved."))
        if not SelfAssessment.objects.filter(
            organization=organization, kind=AssessmentKind.BASELINE
        ).exists():
            messages.info(
                request,
                _(
                    "Before the training, fill in your organisation's self-assessment (the baseline): see below."
                ),
            )
        return redirect("academy:training_detail", pk=training.pk)
    rows = [(a.name, a.email) for a in registration.attendees.all()] if registration else []
    if registration is not None and training.has_started():
        return render(
            request,
            "academy/refused.html",
            {
                "reason": _("The training has started: its registrations can no longer be changed."),
                "back": ("academy:training_detail", training.pk),
            },
            status=409,
        )
    if registration is None and not training.registration_is_open():
        return render(
            request,
            "academy/refused.html",
            {
                "reason": _("Registration for this training is not open."),
                "back": ("academy:training_detail", training.pk),
            },
            status=409,
        )
    return _register_page(
        request,
        training,
        organizations=organizations,
        organization=organization,
        registration=registration,
        rows=rows,
    )


@permission("academy.view_training_materials", load=load_training, pass_as="training", refuse=404)
@require_GET
@never_cache
def material_download(request, pk, material_pk, training):
    material = training.materials.filter(pk=_pk(material_pk)).first()
    if material is None:
        raise Http404
    return material_file(material)


@signed_in
@require_http_methods(["GET", "POST"])
def training_feedback(request, pk):
    training = load_training(request, pk)
    if not request.user.has_perm("academy.give_training_feedback", training):
        reason = (
            _("The feedback form opens when the training ends.")
            if not training.has_ended()
            else _("Only members of the registered organisations give feedback.")
        )
        return render(request, "academy/refused.html", {"reason": reason}, status=403)
    if TrainingFeedback.objects.filter(training=training, author=request.user).exists():
        return render(
            request,
            "academy/refused.html",
            {
                "reason": _("You have already given your feedback on this training."),
                "back": ("academy:training_detail", training.pk),
            },
            status=409,
        )
    form, status = FeedbackForm(), 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            comment = data.pop("comment", "")
            try:
                service.feedback_submit(actor=request.user, training=training, answers=data, comment=comment)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect("academy:training_detail", pk=training.pk)
        else:
            status = 400
    return render(
        request, "academy/training_feedback.html", {"training": training, "form": form}, status=status
    )


@signed_in
@require_GET
def my_trainings(request):
    """The trainings of my organisations, and their self-assessment and community map."""
    from organizations.selectors import memberships_for_user

    page_obj = Paginator(selectors.registrations_of_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "academy/my_trainings.html",
        {
            "page_obj": page_obj,
            "registrations": page_obj.object_list,
            "memberships": list(memberships_for_user(user=request.user)[:50]),
        },
    )


# --- staff ------------------------------------------------------------------------------------


@staff_page("academy.manage_trainings")
@require_GET
def staff_trainings(request):
    page_obj = Paginator(selectors.trainings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "academy/staff_trainings.html", {"page_obj": page_obj, "trainings": page_obj.object_list}
    )


def _edit(request, training):
    form, status = TrainingForm(instance=training), 200
    if request.method == "POST":
        form = TrainingForm(request.POST, instance=training)
        if form.is_valid():
            try:
                saved = service.training_save(actor=request.user, data=form.cleaned_data, training=training)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The training was saved."))
                return redirect("academy:staff_training", pk=saved.pk)
        status = 400
    return render(
        request, "academy/staff_training_form.html", {"form": form, "training": training}, status=status
    )


@staff_page("academy.manage_trainings")
@require_http_methods(["GET", "POST"])
def staff_training_new(request):
    return _edit(request, None)


@staff_page("academy.manage_trainings", load=load_training, pass_as="training")
@require_http_methods(["GET", "POST"])
def staff_training_edit(request, pk, training):
    return _edit(request, training)


def _staff_page(request, training, *, material_form=None, status=200):
    return render(
        request,
        "academy/staff_training.html",
        {
            "training": training,
            "registrations": selectors.training_registrations(training),
            "materials": training.materials.all(),
            "material_form": material_form or TrainingMaterialForm(),
            "summary": selectors.feedback_summary(training),
            "taken": training.attendees.count(),
        },
        status=status,
    )


@staff_page("academy.manage_trainings", load=load_training, pass_as="training")
@require_GET
def staff_training(request, pk, training):
    return _staff_page(request, training)


@staff_page("academy.manage_trainings", load=load_training, pass_as="training")
@require_POST
def staff_material_add(request, pk, training):
    form = TrainingMaterialForm(request.POST, request.FILES)

    def add(data):
        service.material_add(actor=request.user, training=training, upload=data["file"], title=data["title"])

    if material_added(request, form, add):
        return redirect("academy:staff_training", pk=training.pk)
    return _staff_page(request, training, material_form=form, status=400)


@staff_page("academy.manage_trainings", load=load_training, pass_as="training")
@require_POST
def staff_material_remove(request, pk, training):
    try:
        service.material_remove(
            actor=request.user, training=training, material_id=request.POST.get("material")
        )
    except ValidationError as exc:
        return refusal(request, exc, back=("academy:staff_training", training.pk))
    messages.success(request, _("The material was removed."))
    return redirect("academy:staff_training", pk=training.pk)


def _sheet(request, training, *, error=None, status=200):
    return render(
        request,
        "academy/training_attendance.html",
        {
            "training": training,
            "rows": selectors.training_attendees(training),
            "open": service.attendance_is_open(training),
            "error": error,
        },
        status=status,
    )


@staff_page("academy.manage_trainings", load=load_training, pass_as="training")
@require_GET
def staff_attendance(request, pk, training):
    return _sheet(request, training)


@staff_page("academy.manage_trainings", load=load_training, pass_as="training")
@require_POST
def staff_attendance_mark(request, pk, training):
    try:
        service.attendance_mark(
            actor=request.user,
            training=training,
            attendee_id=request.POST.get("attendee"),
            present=request.POST.get("present") != "0",
        )
    except ValidationError as exc:
        return _sheet(request, training, error=" ".join(exc.messages), status=error_status(exc))
    return redirect("academy:staff_attendance", pk=training.pk)
