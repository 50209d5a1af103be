"""core.widgets.ListSelect writes exactly what Django's Select writes."""

import pytest
from django import forms

from core.widgets import ListSelect

CHOICES = [
    ("", "All <calls>"),
    (1, "Call & one"),
    ('x"y', "quote"),
    ("Group", [("a", "A"), ("b", "B")]),
]


@pytest.mark.parametrize("value", ["", 1, 'x"y', "a", None, ["1"], "unknown"])
@pytest.mark.parametrize(
    "attrs",
    [
        {"class": "form-select"},
        {"class": "form-select", "required": True, "disabled": False, "aria-describedby": "help<1>"},
    ],
)
def test_same_html_as_djangos_select(value, attrs):
    expected = forms.Select(attrs=attrs, choices=CHOICES).render("call", value, attrs={"id": "id_call"})
    assert ListSelect(attrs=attrs, choices=CHOICES).render("call", value, attrs={"id": "id_call"}) == expected


@pytest.mark.django_db
def test_in_a_bound_form_with_a_model_choice_field():
    from core.models import Municipality

    class Fast(forms.Form):
        municipality = forms.ModelChoiceField(
            Municipality.objects.order_by("slug"), to_field_name="slug", widget=ListSelect
        )

    class Slow(forms.Form):
        municipality = forms.ModelChoiceField(Municipality.objects.order_by("slug"), to_field_name="slug")

    data = {"municipality": Municipality.objects.order_by("slug").last().slug}
    assert str(Fast(data)["municipality"]) == str(Slow(data)["municipality"])


@pytest.mark.django_db
def test_memo_select_lists_its_choices_once_per_language_and_writes_what_django_writes(
    django_assert_num_queries,
):
    from django.utils import translation

    from core.models import Municipality
    from core.widgets import MemoSelect, forget_choices

    forget_choices()

    def field(widget):
        return forms.ModelChoiceField(
            queryset=Municipality.objects.order_by("pk"),
            to_field_name="slug",
            widget=widget,
            empty_label="All",
        )

    django_html = field(forms.Select(attrs={"class": "form-select"})).widget.render("m", "prishtine")
    memo = field(MemoSelect(attrs={"class": "form-select"}, memo="tests.municipality"))
    with translation.override("en"):
        assert memo.widget.render("m", "prishtine") == field(
            forms.Select(attrs={"class": "form-select"})
        ).widget.render("m", "prishtine")
        with django_assert_num_queries(0):  # the second form in the same language: no query
            again = field(MemoSelect(attrs={"class": "form-select"}, memo="tests.municipality"))
            assert 'value="prishtine" selected' in again.widget.render("m", "prishtine")
    assert django_html.count("<option") == Municipality.objects.count() + 1
    Municipality.objects.filter(pk=Municipality.objects.order_by("pk").first().pk).first().save()
    with translation.override("en"), django_assert_num_queries(1):  # a change forgets the lists
        field(MemoSelect(memo="tests.municipality")).widget.render("m", "")


@pytest.mark.django_db
def test_memo_select_learns_of_a_change_made_by_another_process():
    """Another worker saved a municipality: this process's memo was not forgotten (no signal
    here), but the reference data's token moved, so the next render lists afresh."""
    from django.utils import translation

    from core import fragments
    from core.models import Municipality
    from core.page_cache import REFERENCE
    from core.widgets import MemoSelect, forget_choices

    forget_choices()

    def render():
        field = forms.ModelChoiceField(
            queryset=Municipality.objects.order_by("pk"),
            to_field_name="slug",
            widget=MemoSelect(memo="tests.other-process"),
        )
        with translation.override("en"):
            return field.widget.render("m", "")

    assert "Renamed Town" not in render()
    first = Municipality.objects.order_by("pk").first()
    Municipality.objects.filter(pk=first.pk).update(name_en="Renamed Town")  # no signal, as elsewhere
    assert "Renamed Town" not in render()  # still this process's memo
    fragments.touch(REFERENCE)  # what the other process's save did
    assert "Renamed Town" in render()


GROUPED = [
    ("", "Any"),
    ("a", "A & a"),
    ("Group <1>", [("b", "B"), ("c", 'C "quoted"')]),
    ("a", "A again"),  # a repeated value: a single select marks only the first
    (None, "None as a value"),
]


@pytest.mark.parametrize("value", [None, "", "a", "b", ["a", "c"], ["x"], [], "c"])
@pytest.mark.parametrize("multiple", [False, True])
def test_memo_select_writes_what_django_writes(value, multiple):
    from core.widgets import MemoSelect, MemoSelectMultiple, forget_choices

    forget_choices()
    django_class, memo_class = (
        (forms.SelectMultiple, MemoSelectMultiple) if multiple else (forms.Select, MemoSelect)
    )
    attrs = {"class": "form-select", "size": 4}
    expected = django_class(attrs=attrs, choices=GROUPED).render("f", value, attrs={"id": "id_f"})
    for _ in range(2):  # listed, then from the memo
        widget = memo_class(attrs=attrs, choices=GROUPED, memo=f"tests.grouped.{multiple}")
        assert widget.render("f", value, attrs={"id": "id_f"}) == expected


def test_memo_select_multiple_reads_every_value():
    from django.http import QueryDict

    from core.widgets import MemoSelectMultiple

    widget = MemoSelectMultiple(choices=GROUPED, memo="tests.read")
    assert widget.value_from_datadict(QueryDict("f=a&f=b"), {}, "f") == ["a", "b"]


def test_memo_select_keeps_each_language_apart(monkeypatch):
    """The memo is per language: a page in one language never shows another's labels. Fixed
    choices cost no cache read (they cannot change while the process runs)."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from core import fragments
    from core.widgets import MemoSelect, forget_choices

    forget_choices()
    monkeypatch.setattr(fragments, "tokens", lambda topics: pytest.fail("a cache read for fixed choices"))
    choices = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]

    def render(language):
        with translation.override(language):
            return MemoSelect(choices=choices, memo="tests.languages").render("f", "yes")

    english, albanian, serbian = render("en"), render("sq"), render("sr-latn")
    assert ">Yes</option>" in english and ">Po</option>" in albanian and ">Da</option>" in serbian
    assert render("en") == english and render("sq") == albanian  # from the memo, each its own
    assert "Po" not in english and "Yes" not in albanian
