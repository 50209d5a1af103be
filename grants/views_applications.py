"""The applicant's pages."""

from django.http import Http404


def application_detail(request, pk):
    raise Http404  # TODO(helper B2)


def my_applications(request):
    raise Http404  # TODO
