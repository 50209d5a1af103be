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


def _option_html(value: str, label, selected: bool) -> str:
    # As Django's select_option.html writes an <option> (ListSelect does the same).
    return format_html(
        '\n  <option value="{}"{}>{}</option>\n', value, mark_safe(" selected" if selected else ""), label
    )


def _rendered_options(choices) -> list:
    """The <option>s (and <optgroup>s) of `choices`, rendered: each option twice, as it is
    written unselected and selected, so that a render only picks one of the two."""
    items: list = []
    for option_value, option_label in choices:
        if option_value is None:
            option_value = ""
        grouped = isinstance(option_label, (list, tuple))
        if grouped:
            items.append(format_html('\n  <optgroup label="{}">', option_value))
        for value, label in option_label if grouped else [(option_value, option_label)]:
            value, label = str(value), str(label)
            items.append((value, _option_html(value, label, False), _option_html(value, label, True)))
        if grouped:
            items.append("\n  </optgroup>")
    return items


class MemoSelect(ListSelect):
    """A select whose options (a ModelChoiceField's queryset or fixed choices, with their
    translated labels) are listed and rendered once per language and process instead of on
    every request: filter forms of pages that signed-in people open (the directory, the calls,
    the giving dashboard) list every municipality, sector, cause and country, and the query,
    labels and option markup behind them cost more than the rest of the page. A render only
    marks the chosen options; the HTML is exactly what Django's Select writes.

    `memo` names the list (e.g. "organizations.directory.municipality"); a list is kept
    MEMO_SECONDS. Choices read from the database (a queryset) are filed under `topics`
    (default: the reference data's page-cache topic, touched by any change of a municipality
    or sector in any process): a change is listed at the next render. Fixed choices (a
    TextChoices, the list of countries) cannot change while the process runs and cost no
    cache read."""

    def __init__(self, *args, memo: str, topics: tuple[str, ...] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.memo = memo
        self.topics = topics

    def _topics(self) -> tuple[str, ...]:
        from django.forms.models import ModelChoiceIterator

        from core.page_cache import REFERENCE

        if self.topics is not None:
            return tuple(self.topics)
        return (REFERENCE,) if isinstance(self.choices, ModelChoiceIterator) else ()

    def _options(self) -> list:
        import time

        from django.utils.translation import get_language

        from core import fragments

        topics = self._topics()
        # The topics' tokens (one cache read): a change made through another process touches
        # them, so every process lists afresh at once.
        key = (self.memo, get_language(), *(fragments.tokens(topics) if topics else ()))
        now = time.monotonic()
        found = _memo.get(key)
        if found is None or now - found[0] > MEMO_SECONDS:
            found = _memo[key] = (now, _rendered_options(self.choices))
        return found[1]

    def render(self, name, value, attrs=None, renderer=None):
        options = self._options()
        wanted = set(self.format_value(value))
        multiple = self.allow_multiple_selected
        parts, has_selected = [], False
        for item in options:
            if isinstance(item, str):
                parts.append(item)
            elif (multiple or not has_selected) and item[0] in wanted:
                parts.append(item[2])
                has_selected = True
            else:
                parts.append(item[1])
        final_attrs = self.build_attrs(self.attrs, attrs)
        if multiple:
            final_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            mark_safe(_attrs(final_attrs)),
            mark_safe("".join(parts)),
        )


class MemoSelectMultiple(MemoSelect, forms.SelectMultiple):
    """MemoSelect for several choices (`<select multiple>`, read with `getlist`)."""
