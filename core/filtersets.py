"""django-filter FilterSets that build their form class once, not on every request.

django-filter's FilterSet deep-copies every declared filter for each filterset it creates,
then builds each filter's form field (a ModelChoiceFilter its queryset, a ChoiceFilter its
choices and widget) and a new form class from them: on the giving records API that is about
2.5 ms of every request, before a row is read.

`MemoFiltersMixin` (before the FilterSet: `class F(MemoFiltersMixin, django_filters.FilterSet)`)
keeps the form class per FilterSet class and language in each process and gives each
filterset shallow copies of the filters (their own `parent` and `model`; a `method` filter
is bound to its copy). What the memo holds depends on nobody: labels and choices are lazy
(translated when shown), and a ModelChoiceFilter's field keeps a queryset that is never
evaluated in the class (each form deep-copies its fields, with a fresh `.all()` of the
queryset, so a new municipality or sector is accepted at the next request; the rendered
options are the widgets' memo, core.widgets.MemoSelect). A FilterSet with a filter whose
queryset is a callable (it may depend on the request, e.g. the user's organisations) is
left to django-filter: nothing of it is memoised.

`forget_forms()` drops the memo (the next filterset of each class builds its form anew);
`forget_forms(SomeFilterSet)` (or `SomeFilterSet.forget_form()`) only that class's, for a
FilterSet that gains filters at run time (organizations.extensions.register_directory_filter
calls it: a filter registered after the memo was built is in the next filterset's form)."""

import copy

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language
from django_filters.filters import QuerySetRequestMixin

_forms: dict[tuple, type] = {}


def forget_forms(filterset_class: type | None = None) -> None:
    """Drop the memoised form classes: all of them, or those of `filterset_class`."""
    if filterset_class is None:
        _forms.clear()
        return
    for key in [key for key in list(_forms) if key[0] is filterset_class]:
        _forms.pop(key, None)


@receiver(setting_changed)
def _forget_on_setting_change(**kwargs):
    forget_forms()


def _per_request(filterset_class) -> bool:
    """Whether a filter's queryset is computed per request (then nothing is memoised)."""
    return any(
        isinstance(f, QuerySetRequestMixin) and callable(f.queryset)
        for f in filterset_class.base_filters.values()
    )


class MemoFiltersMixin:
    @classmethod
    def forget_form(cls) -> None:
        """The reset hook: the class's filters changed (one added at run time)."""
        forget_forms(cls)

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if _per_request(type(self)):
            super().__init__(data=data, queryset=queryset, request=request, prefix=prefix)
            self._memo_form = False
            return
        # django-filter's __init__, with shallow copies of the filters instead of deep ones.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        from django.http import QueryDict

        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if filter_.method is not None:
                filter_.method = filter_.method  # bound to this copy, not to the class's filter
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_
        self._memo_form = True

    def get_form_class(self):
        if not self._memo_form:
            return super().get_form_class()
        key = (type(self), get_language())
        found = _forms.get(key)
        if found is None:
            # Built from deep copies of the class's filters: the fields (and a
            # ModelChoiceFilter's `extra`) belong to the memo, never to a filterset.
            filters = copy.deepcopy(self.base_filters)
            fields = {name: f.field for name, f in filters.items()}
            found = _forms[key] = type(f"{type(self).__name__}Form", (self._meta.form,), fields)
        return found
