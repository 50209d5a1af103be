"""The trust survey of an event (a person with a place answers once before and once after)
and the public trust barometer over time, by sector (aggregates only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from core.permissions import permission, public
from dialogue import selectors
from dialogue.choices import TRUST_MIN_ANSWERS, SurveyMoment
from dialogue.forms import TrustSurveyForm
from dialogue.services import trust as services
from dialogue.views._common import load_event

PAGE_SIZE = 10


@permission("dialogue.answer_trust_survey", load=load_event, pass_as="event", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def trust_survey(request, pk, moment, event):
    if moment not in SurveyMoment.values:
        raise Http404(_("There is no such survey."))
    registration = services.survey_registration(request.user, event)
    context = {
        "event": event,
        "moment": moment,
        "moment_label": SurveyMoment(moment).label,
        "registration": registration,
        "answered": services.already_answered(registration, moment),
        "open": services.moment_open(event, moment),
        "threshold": TRUST_MIN_ANSWERS,
    }
    if request.method != "POST":
        return render(request, "dialogue/trust_survey.html", {**context, "form": TrustSurveyForm()})
    form = TrustSurveyForm(request.POST)
    if form.is_valid():
        try:
            services.trust_answer(event=event, actor=request.user, moment=moment, scores=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect(event)
    return render(request, "dialogue/trust_survey.html", {**context, "form": form}, status=400)


@public
@require_GET
def trust_barometer(request):
    page_obj = Paginator(selectors.events_with_trust_answers(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogue/trust_barometer.html",
        {
            "page_obj": page_obj,
            "barometers": selectors.trust_barometers(page_obj.object_list),
            "threshold": TRUST_MIN_ANSWERS,
        },
    )
