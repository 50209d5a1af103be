"""The applicant's editor."""

from django.http import Http404


def application_edit(request, pk):
    raise Http404  # TODO(helper B1)


def apply(request, slug):
    raise Http404  # TODO
