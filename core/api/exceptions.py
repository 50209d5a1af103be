from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The request could not be read.")
    default_code = "bad_request"


def api_error_for(exc) -> exceptions.APIException | None:
    """The API error for Django's refusals of a request body (over DATA_UPLOAD_MAX_MEMORY_SIZE,
    too many fields or files): JSON like every API error, not the HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return BadRequest()
    return None


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError / PermissionDenied raised by services
    turned into 400 / 403 instead of a 500, a body Django refuses into a JSON 413/400, and
    every 404 the translated "Not found." (never a model's name)."""
    exc = api_error_for(exc) or exc
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, Http404):
        # get_object_or_404's message is English and names the model ("No GivingRecord
        # matches the given query."): the translated "Not found." names nothing internal.
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
