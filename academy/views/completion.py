"""The participant's certificate of completion (a PDF in their language; anyone checks its
code on core's public verification page) and their private calendar feed of the sessions."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.views.decorators.http import require_GET

from academy.services import completion, schedule
from academy.views.common import _pk, load_application
from core.permissions import permission, public


@permission("academy.download_certificate", load=load_application, pass_as="participant", refuse=404)
@require_GET
def certificate(request, pk, participant):
    from core import certificates

    try:
        issued = completion.certificate_issue(actor=request.user, participant=participant)
    except ValidationError as exc:
        return render(
            request,
            "academy/refused.html",
            {"reason": " ".join(exc.messages), "back": ("academy:sessions", participant.cohort_id)},
            status=409,
        )
    response = HttpResponse(certificates.pdf(issued), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{issued.code}.pdf"'
    return response


@public  # a calendar app subscribes without a session: the unguessable token is the key
@require_GET
def calendar_feed(request, pk, token):
    participant = schedule.feed_participant(_pk(pk), token)
    if participant is None:
        return HttpResponseNotFound(schedule.no_feed_message(), content_type="text/plain; charset=utf-8")
    response = HttpResponse(schedule.feed_text(participant), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="academy-sessions.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
