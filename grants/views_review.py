"""The reviewer's pages."""

from django.http import Http404


def review(request, pk):
    raise Http404  # TODO(helper C)


def my_reviews(request):
    raise Http404  # TODO
