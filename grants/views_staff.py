"""KCSF's pages."""

from django.http import Http404


def staff_application(request, pk):
    raise Http404  # TODO(helper C)


def staff_calls(request):
    raise Http404  # TODO
