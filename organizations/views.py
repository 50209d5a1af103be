# Placeholder views: being written now (see issue 2).
from django.http import HttpResponse


def directory(request):
    return HttpResponse("")


organization_create = invitation_accept = organization_detail = organization_manage = directory
