"""Awarded grants, public."""

from django.http import Http404


def awarded_list(request):
    raise Http404  # TODO
