"""The applicant's pages: start (after the eligibility check), the draft, submission, my
applications, and the answer to an offered place."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import selectors
from academy.choices import ApplicationStatus
from academy.forms import ApplicationForm, EligibilityForm
from academy.services import applications as services
from academy.services import selection
from academy.views.common import load_application, load_cohort
from academy.workflow import APPLICATION
from core.forms import add_service_errors
from core.permissions import permission, signed_in

S = ApplicationStatus
PAGE_SIZE = 20


@permission("academy.apply_to_cohort", load=load_cohort, pass_as="cohort")
@require_POST
def apply(request, pk, cohort):
    """Start an application: eligibility first; an existing one is simply opened again."""
    existing = cohort.applications.filter(applicant=request.user).first()
    if existing is not None:
        messages.info(request, _("You have already applied to this cohort."))
        return redirect("academy:application", pk=existing.pk)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_start(
                actor=request.user,
                cohort=cohort,
                date_of_birth=form.cleaned_data["date_of_birth"],
                municipality=form.cleaned_data["municipality"],
            )
        except ValidationError as exc:
            return render(
                request,
                "academy/apply_refused.html",
                {"cohort": cohort, "problems": exc.messages},
                status=400,
            )
        messages.success(request, _("You can apply. Your answers are saved as a draft until you submit."))
        return redirect("academy:application", pk=application.pk)
    return render(
        request,
        "academy/apply_refused.html",
        {"cohort": cohort, "problems": [e for errors in form.errors.values() for e in errors]},
        status=400,
    )


@signed_in
@require_GET
def my_applications(request):
    page_obj = Paginator(selectors.applications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "academy/my_applications.html", {"page_obj": page_obj, "applications": page_obj.object_list}
    )


def _own(request, pk, **kwargs):
    """Only the applicant's own application (anyone else: 404)."""
    application = load_application(request, pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


@permission("academy.view_application", load=_own, pass_as="application", refuse=404)
@require_http_methods(["GET", "POST"])
def application(request, pk, application):
    """The draft (save / submit) or, once submitted, the application and its answer buttons."""
    status = 200
    form = ApplicationForm(instance=application) if application.status == S.DRAFT else None
    if request.method == "POST":
        if application.status != S.DRAFT:
            messages.info(request, _("This application was already submitted."))
            return redirect("academy:application", pk=application.pk)
        form = ApplicationForm(request.POST, instance=application)
        if form.is_valid():
            services.application_save(actor=request.user, application=application, data=form.cleaned_data)
            if "submit" in request.POST:
                try:
                    services.application_submit(actor=request.user, application=application)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    status = 400
                else:
                    application.refresh_from_db()
                    messages.success(
                        request,
                        _("Your application %(reference)s was submitted.")
                        % {"reference": application.reference},
                    )
                    return redirect("academy:application", pk=application.pk)
            else:
                messages.success(request, _("Your draft was saved."))
                return redirect("academy:application", pk=application.pk)
        else:
            status = 400
    return render(
        request,
        "academy/application.html",
        {
            "application": application,
            "cohort": application.cohort,
            "form": form,
            "history": APPLICATION.history(application),
        },
        status=status,
    )


@permission("academy.view_application", load=_own, pass_as="application", refuse=404)
@require_POST
def respond(request, pk, application):
    accept = request.POST.get("answer") == "confirm"
    try:
        selection.offer_respond(actor=request.user, application=application, accept=accept)
    except ValidationError as exc:
        return render(
            request,
            "academy/refused.html",
            {"reason": " ".join(exc.messages), "back": ("academy:application", application.pk)},
            status=400,
        )
    if accept:
        messages.success(request, _("Welcome to the Academy! Your place is confirmed."))
    else:
        messages.info(request, _("You declined the place. Thank you for telling us."))
    return redirect("academy:application", pk=application.pk)
