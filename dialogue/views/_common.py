"""Loaders shared by dialogue's views (the `load=` of their permission declarations)."""

from django.http import Http404
from django.utils.translation import gettext as _

from dialogue import selectors
from dialogue.models import Commitment, Registration


def load_event(request, pk, **kwargs):
    event = selectors.event_detail(pk)
    if event is None:
        raise Http404(_("There is no such event."))
    return event


def load_registration(request, pk, **kwargs):
    registration = Registration.objects.select_related("event", "sector").filter(pk=pk).first()
    if registration is None:
        raise Http404(_("There is no such registration."))
    return registration


def load_commitment(request, pk, **kwargs):
    commitment = Commitment.objects.select_related("organization", "event").filter(pk=pk).first()
    if commitment is None:
        raise Http404(_("There is no such commitment."))
    return commitment


def load_public_commitment(request, pk, **kwargs):
    commitment = selectors.commitment_detail(pk)
    if commitment is None:
        raise Http404(_("There is no such commitment."))
    return commitment
