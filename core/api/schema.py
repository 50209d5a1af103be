"""OpenAPI generation: drf-spectacular's AutoSchema, plus the error responses every
endpoint can give (drf-spectacular documents only the success response by default).

Set as `REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`. Responses declared by a view with
`@extend_schema(responses=...)` win over these defaults.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    """The body of 401, 403, 404, 405 and 429 responses."""

    detail = serializers.CharField(help_text=_("What went wrong, in the language of the request."))


# The body of a 400: each offending field (or `non_field_errors`) with its messages.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": True},
            {"type": "string"},
        ]
    },
}

ERROR_DESCRIPTIONS = {
    "400": _("Invalid input: a malformed parameter or body. The body names each field."),
    "401": _("Authentication failed: a malformed, unknown or revoked token."),
    "403": _("Not allowed: the credentials lack the permission or token scope."),
    "404": _("Not found (or a page number past the end of the list)."),
    "429": _("Too many requests: wait for the number of seconds in Retry-After."),
}


class AutoSchema(openapi.AutoSchema):
    def _error_codes(self) -> list[str]:
        view = self.view
        codes = []
        has_params = bool(self._get_filter_parameters() or self._get_pagination_parameters())
        if self.method in ("POST", "PUT", "PATCH") or has_params:
            codes.append("400")
        if view.get_authenticators():
            codes.append("401")
        requires_permission = any(
            not isinstance(permission, permissions.AllowAny) for permission in view.get_permissions()
        )
        if requires_permission or self.method not in permissions.SAFE_METHODS:
            codes.append("403")  # missing permission or scope; CSRF for session writes
        if "{" in self.path or self._is_list_view():
            codes.append("404")  # unknown object; page past the end
        if view.get_throttles():
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            body = VALIDATION_ERROR_SCHEMA if code == "400" else ErrorSerializer
            responses[code] = self._get_response_for_code(
                OpenApiResponse(response=body, description=ERROR_DESCRIPTIONS[code]),
                code,
                direction=direction,
            )
        return responses


def ordering_needs_a_value(result, generator, request, public):
    """`?ordering=` (empty) is refused with a 400: say so in the schema (at least one item),
    so that an empty value is not documented as a valid empty list."""
    for path in (result.get("paths") or {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema") or {}
                if parameter.get("name") == "ordering" and schema.get("type") == "array":
                    schema["minItems"] = 1
    return result
