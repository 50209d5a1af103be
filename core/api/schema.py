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


def decimal_pattern(field: serializers.DecimalField) -> str:
    """The pattern of the decimal strings `field` accepts: at least one digit (drf-spectacular's
    own pattern lets "" and "." through, which the API refuses), no sign when negative values
    are refused."""
    integer_digits = (field.max_digits or 30) - (field.decimal_places or 0)
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    fraction = rf"(?:\.\d{{1,{field.decimal_places}}})?" if field.decimal_places else ""
    return rf"^{sign}\d{{1,{integer_digits}}}{fraction}$"


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """drf-spectacular's mapping, plus what the API checks and it leaves out: the length
        bounds of a list of nested records (`many=True, allow_empty=False, max_length=…`), the
        digits of a decimal string, and its bounds in words."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        if isinstance(field, serializers.ListSerializer | serializers.ListField):
            if not field.allow_empty:
                schema.setdefault("minItems", 1)
            if getattr(field, "max_length", None) is not None:
                schema.setdefault("maxItems", field.max_length)
            if getattr(field, "min_length", None) is not None:
                schema["minItems"] = max(schema.get("minItems", 0), field.min_length)
        elif isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
            schema["pattern"] = decimal_pattern(field)
            bounds = []
            if field.min_value is not None:
                bounds.append(str(_("at least %(value)s") % {"value": field.min_value}))
            if field.max_value is not None:
                bounds.append(str(_("at most %(value)s") % {"value": field.max_value}))
            if bounds and direction == "request":
                schema["description"] = " ".join(
                    filter(None, [schema.get("description"), ", ".join(bounds) + "."])
                )
        return schema

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


# Every text input refuses control characters but tab, line feed and carriage return
# (core.control_characters): say so on every free string a client sends.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$"


def _free_strings_refuse_control_characters(schema) -> None:
    if isinstance(schema, list):
        for item in schema:
            _free_strings_refuse_control_characters(item)
        return
    if not isinstance(schema, dict):
        return
    if (
        schema.get("type") == "string"
        and not schema.get("readOnly")
        and not {"enum", "pattern", "format", "const"} & set(schema)
    ):
        schema["pattern"] = NO_CONTROL_CHARACTERS
    for key, value in schema.items():
        if key in ("properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf", "not"):
            if key == "properties":
                for child in value.values():
                    _free_strings_refuse_control_characters(child)
            else:
                _free_strings_refuse_control_characters(value)


def strings_refuse_control_characters(result, generator, request, public):
    """A postprocessing hook: the pattern NO_CONTROL_CHARACTERS on the free strings of every
    query and path parameter and every request body (the `…Request` components, which
    COMPONENT_SPLIT_REQUEST keeps apart from the responses)."""
    for path in (result.get("paths") or {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("query", "path"):
                    _free_strings_refuse_control_characters(parameter.get("schema"))
            for media in ((operation.get("requestBody") or {}).get("content") or {}).values():
                schema = media.get("schema") or {}
                if "$ref" not in schema:
                    _free_strings_refuse_control_characters(schema)
    for name, component in ((result.get("components") or {}).get("schemas") or {}).items():
        if name.endswith("Request"):
            _free_strings_refuse_control_characters(component)
    return result
