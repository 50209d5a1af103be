"""After the award."""

from django.http import Http404


def grant_detail(request, pk):
    raise Http404  # TODO
