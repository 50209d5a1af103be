from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class StrictPageSizeMixin:
    """`?page_size=` for any DRF paginator: at most `max_page_size` (larger values are capped),
    and a value that is not a positive whole number is a 400 naming the parameter (DRF silently
    falls back to the default). The schema says the minimum and the cap."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if value < 1:
            raise ValidationError({self.page_size_query_param: [_("Enter a whole number of at least 1.")]})
        return min(value, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = str(
                    _("Number of results to return per page (at most %(max)s).") % {"max": self.max_page_size}
                )
        return parameters


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (StrictPageSizeMixin); a page past the end is a 404."""

    max_page_size = 200

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise ValidationError({self.page_query_param: [_("Enter a whole number of at least 1.")]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
