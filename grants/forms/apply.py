"""The applicant's forms: how to apply (start), the project, the answers (built from the
call's `Question` rows), attachments, and the rows of the budget, work plan and group
members as they come from the editor's tables.

Drafts save what is typed: the forms here only turn input into what the services take and
say which values cannot be stored at all (a date that is no date, a budget row that is not
a number). What a submission still needs is said by `services.applications.application_problems`.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Municipality
from grants.choices import ApplicantType, BudgetCategory, QuestionKind
from grants.services.applications import (
    LONG_TEXT_MAX_CHARS,
    MAX_ACTIVITIES,
    MAX_BUDGET_LINES,
    MAX_GROUP_MEMBERS,
    SHORT_TEXT_MAX,
    parse_budget_rows,
)

BUDGET_FIELDS = ("category", "item", "quantity", "unit_cost", "requested", "cofinancing")
ACTIVITY_FIELDS = ("title", "starts_on", "ends_on", "description")
MEMBER_FIELDS = ("name", "role", "email")
# Prefix of each table's inputs: `<prefix>-<n>-<field>`.
BUDGET_PREFIX, ACTIVITY_PREFIX, MEMBER_PREFIX = "b", "a", "m"
# Rows read from one POST at most (a row limit of the service plus room for empty rows).
ROW_READ_LIMIT = 200
_ROW_KEY = re.compile(r"^(?P<prefix>[a-z])-(?P<n>\d{1,4})-(?P<field>[a-z_]+)$")


# --- starting ------------------------------------------------------------------------------


def option_value(applicant_type: str, organization=None) -> str:
    """The value of one way to apply in the start form: "individual", "group", "org-<pk>"
    (for an organisation) or "group-<pk>" (as an informal group of the registry)."""
    if organization is None:
        return str(applicant_type)
    return f"group-{organization.pk}" if applicant_type == ApplicantType.GROUP else f"org-{organization.pk}"


class StartForm(forms.Form):
    """How the person applies: one of `applicant_options` (as themselves, as a group, for an
    organisation they edit), and the group's name for a group."""

    option = forms.CharField(max_length=30)
    group_name = forms.CharField(
        label=gettext_lazy("Name of the group"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {option_value(kind, org): (kind, org) for kind, org, _verdict in options}

    def clean_option(self):
        value = self.cleaned_data["option"]
        if value not in self.options:
            raise ValidationError(_("Choose how you apply."))
        return value

    def clean(self):
        data = super().clean()
        value = data.get("option")
        if value in self.options:
            kind, organization = self.options[value]
            data["applicant_type"], data["organization"] = kind, organization
            if (
                kind == ApplicantType.GROUP
                and organization is None
                and not (data.get("group_name") or "").strip()
            ):
                self.add_error("group_name", _("Give the name of your group."))
        return data


# --- the project ---------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    """Title, summary, place and dates; the group's name for groups. Nothing is required in a
    draft; a value that cannot be stored (a date that is no date) is reported and skipped."""

    title = forms.CharField(
        label=gettext_lazy("Project title"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary of the project"),
        max_length=2000,
        required=False,
        help_text=gettext_lazy(
            "What will you do, with whom, and what will change? At most 2,000 characters."
        ),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5, "maxlength": 2000}),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Where the project takes place"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=gettext_lazy("Choose a municipality"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    starts_on = forms.DateField(label=gettext_lazy("Project starts"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("Project ends"), required=False, widget=DateInput())
    group_name = forms.CharField(
        label=gettext_lazy("Name of the group"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, application, targeted=(), **kwargs):
        if "initial" not in kwargs and not args:
            kwargs["initial"] = {
                "title": application.title,
                "summary": application.summary,
                "municipality": application.municipality_id,
                "starts_on": application.starts_on,
                "ends_on": application.ends_on,
                "group_name": application.group_name,
            }
        super().__init__(*args, **kwargs)
        self.application = application
        if application.applicant_type != ApplicantType.GROUP:
            del self.fields["group_name"]
        if targeted:
            self.fields["municipality"].help_text = _("This call funds projects in: %(places)s.") % {
                "places": ", ".join(m.name for m in targeted)
            }

    def clean(self):
        """An end before the start is said at once, next to the end date (and not stored),
        against the start as posted or, when it is not posted, as saved."""
        data = super().clean()
        starts = data.get("starts_on") if "starts_on" in self.data else self.application.starts_on
        ends = data.get("ends_on") if "ends_on" in self.data else self.application.ends_on
        if starts and ends and ends < starts and "ends_on" not in self.errors:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        return data

    def storable(self) -> dict:
        """The values that may be saved now (every valid field that was posted)."""
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in self.errors and name in self.cleaned_data and name in self.data
        }


# --- the answers ---------------------------------------------------------------------------


def words(text: str) -> int:
    return len(str(text or "").split())


class AnswersForm(forms.Form):
    """One field per question of the application's stage (file questions are answered in
    the attachments section). Field names are the answers' keys (`q<id>`)."""

    def __init__(self, *args, questions, answers=None, **kwargs):
        self.questions = list(questions)
        answers = answers or {}
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {q.key: answers.get(q.key) for q in self.questions}
        super().__init__(*args, **kwargs)
        for question in self.questions:
            field = self._field(question)
            if field is not None:
                self.fields[question.key] = field

    @staticmethod
    def _field(question):
        common = {"label": question.label, "required": False, "help_text": question.help_text}
        kind = question.kind
        if kind == QuestionKind.SHORT_TEXT:
            return forms.CharField(
                max_length=SHORT_TEXT_MAX, widget=forms.TextInput(attrs={"class": "form-control"}), **common
            )
        if kind == QuestionKind.LONG_TEXT:
            attrs = {"class": "form-control", "rows": 6, "maxlength": LONG_TEXT_MAX_CHARS}
            if question.word_limit:
                attrs["data-word-limit"] = question.word_limit
            return forms.CharField(
                max_length=LONG_TEXT_MAX_CHARS, widget=forms.Textarea(attrs=attrs), **common
            )
        if kind == QuestionKind.NUMBER:
            attrs = {"class": "form-control", "inputmode": "decimal"}
            if question.min_value is not None:
                attrs["min"] = question.min_value
            if question.max_value is not None:
                attrs["max"] = question.max_value
            # Kept as typed (a draft may hold anything); the checks before submission say more.
            return forms.CharField(max_length=40, widget=forms.TextInput(attrs=attrs), **common)
        if kind == QuestionKind.DATE:
            return forms.DateField(widget=DateInput(), **common)
        if kind == QuestionKind.SINGLE_CHOICE:
            return forms.ChoiceField(
                choices=question.options,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                **common,
            )
        if kind == QuestionKind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=question.options,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                **common,
            )
        return None  # a file

    def storable(self) -> dict:
        """Answers that may be saved now, by key; an invalid value is reported and skipped."""
        self.is_valid()
        stored = {}
        for key in self.fields:
            if key in self.errors or key not in self.cleaned_data:
                continue
            value = self.cleaned_data[key]
            stored[key] = value.isoformat() if isinstance(value, date) else ("" if value is None else value)
        return stored


# --- attachments ---------------------------------------------------------------------------


class AttachmentForm(forms.Form):
    """One upload: for a required document (`requirement`), a file question (`question`) or,
    with neither, an extra file."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word (DOCX), Excel (XLSX), JPEG or PNG."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}
        ),
    )
    requirement = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)
    question = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)


# --- rows of the tables --------------------------------------------------------------------


def read_rows(data, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """The rows of one table (`<prefix>-<n>-<field>` inputs) in the order of `n`, each with
    its `n`; trailing empty rows are dropped. Values are strings (the first of a key)."""
    found: dict[int, dict] = {}
    for key in data:
        match = _ROW_KEY.match(key)
        if not match or match["prefix"] != prefix or match["field"] not in fields:
            continue
        n = int(match["n"])
        if n not in found and len(found) >= ROW_READ_LIMIT:
            continue
        value = data.get(key, "")
        found.setdefault(n, {})[match["field"]] = str(value if value is not None else "")[:1000]
    rows = [{**{f: "" for f in fields}, **found[n], "n": n} for n in sorted(found)]
    while rows and not any(str(rows[-1][f]).strip() for f in fields if f != "category"):
        rows.pop()
    return rows


def budget_rows(data) -> list[dict]:
    return read_rows(data, BUDGET_PREFIX, BUDGET_FIELDS)


def activity_rows(data) -> list[dict]:
    return read_rows(data, ACTIVITY_PREFIX, ACTIVITY_FIELDS)


def member_rows(data) -> list[dict]:
    return read_rows(data, MEMBER_PREFIX, MEMBER_FIELDS)


def budget_row_errors(rows: list[dict]) -> tuple[dict[int, list[str]], list[str]]:
    """Why rows cannot be stored: ({n of the row: messages}, messages about the whole table).
    Each row is checked at its position, so that its messages name the row as the table
    shows it ("Row 3: …")."""
    if len(rows) > MAX_BUDGET_LINES:
        return {}, [_("A budget has at most %(n)s lines.") % {"n": MAX_BUDGET_LINES}]
    errors = {}
    for position, row in enumerate(rows):
        try:
            parse_budget_rows([{}] * position + [row])
        except ValidationError as error:
            errors[row["n"]] = error.messages
    return errors, []


def activity_row_errors(rows: list[dict]) -> tuple[dict[int, list[str]], list[str]]:
    """The checks of `application_save_activities`, row by row, to show next to each row."""
    if len(rows) > MAX_ACTIVITIES:
        return {}, [_("A work plan has at most %(n)s activities.") % {"n": MAX_ACTIVITIES}]
    errors: dict[int, list[str]] = {}
    for position, row in enumerate(rows, start=1):
        title = row.get("title", "").strip()
        starts, ends = row.get("starts_on", "").strip(), row.get("ends_on", "").strip()
        if not title and not starts and not ends:
            continue
        try:
            starts_on, ends_on = date.fromisoformat(starts), date.fromisoformat(ends)
        except ValueError:
            errors[row["n"]] = [_("Activity %(row)s: give both dates.") % {"row": position}]
            continue
        if not title:
            errors[row["n"]] = [_("Activity %(row)s: name the activity.") % {"row": position}]
        elif ends_on < starts_on:
            errors[row["n"]] = [_("Activity %(row)s: it cannot end before it starts.") % {"row": position}]
    return errors, []


def member_row_errors(rows: list[dict]) -> tuple[dict[int, list[str]], list[str]]:
    from django.core.validators import validate_email

    if sum(1 for r in rows if r.get("name", "").strip()) > MAX_GROUP_MEMBERS:
        return {}, [_("A group names at most %(n)s members.") % {"n": MAX_GROUP_MEMBERS}]
    errors = {}
    for row in rows:
        email = row.get("email", "").strip()
        if email and row.get("name", "").strip():
            try:
                validate_email(email)
            except ValidationError:
                errors[row["n"]] = [_("“%(email)s” is not a valid email address.") % {"email": email[:254]}]
    return errors, []


BUDGET_CATEGORY_CHOICES = BudgetCategory.choices
