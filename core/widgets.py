"""Form widgets of our own."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python: False leaves an attribute out, True writes it bare."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class ListSelect(forms.Select):
    """A select that writes the same HTML as Django's, in Python instead of one template
    include per option: filter forms list every call, municipality and year, and the
    templates cost more than the query behind the page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',  # as Django's option template
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            mark_safe(_attrs(widget["attrs"])),
            mark_safe("".join(parts)),
        )


MEMO_SECONDS = 300  # how long a process keeps a list of choices (reference data hardly changes)
_memo: dict[tuple, tuple[float, list]] = {}


def forget_choices() -> None:
    """Drop every memoised list of choices (this process; the others after MEMO_SECONDS)."""
    _memo.clear()


class MemoSelect(ListSelect):
    """A ListSelect whose choices (a ModelChoiceField's queryset, translated labels) are listed
    once per language and process instead of on every request: filter forms of lists that
    signed-in people open (the directory, the calls) list every municipality and sector, and
    the query and labels behind them cost more than the rest of the form. `memo` names the
    list (e.g. "organizations.directory.municipality"); a list is kept MEMO_SECONDS, and a
    change of a municipality or sector — in any process: the list is filed under the reference
    data's page-cache token — is listed at the next render."""

    def __init__(self, *args, memo: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.memo = memo

    def render(self, name, value, attrs=None, renderer=None):
        import time

        from django.utils.translation import get_language

        from core import fragments
        from core.page_cache import REFERENCE

        # The reference data's token (one cache read): a change of a municipality or sector
        # made through another process touches it, so every process lists afresh at once.
        key = (self.memo, get_language(), fragments.tokens([REFERENCE])[0])
        now = time.monotonic()
        found = _memo.get(key)
        if found is None or now - found[0] > MEMO_SECONDS:
            found = _memo[key] = (now, [(str(v), str(label)) for v, label in self.choices])
        self.choices = found[1]
        return super().render(name, value, attrs, renderer)
