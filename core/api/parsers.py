"""The API's parsers: DRF's, plus
- a 400 for JSON nested deeper than Python's decoder follows (`[` x 100,000 raised
  RecursionError, a 500, on every JSON endpoint);
- a 400 naming the field for a control character (NUL: PostgreSQL refuses it in text, a
  500) in any string of a JSON, form or multipart body (core.control_characters)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from core.control_characters import control_character_message, find_control_character


def _refuse_control_characters(data):
    field = find_control_character(data)
    if field is not None:
        raise ValidationError({field: [control_character_message(field)]})
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error: the data is nested too deeply.")) from None
        return _refuse_control_characters(data)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_control_characters(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_control_characters(result.data)
        return result
