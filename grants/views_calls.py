"""Public pages of calls: the list (open, upcoming, closed) and one call."""

from django.http import Http404


def call_list(request):
    raise Http404  # TODO(helper A)


def call_detail(request, slug):
    raise Http404  # TODO
