"""What changed between two revisions of an application (two `snapshot` dicts).

`diff_snapshots(old, new)` lists every difference as a dict
`{section, label, old, new, kind}` (kind: added | removed | changed), in the order of
the application: project fields, answers (by question key), budget lines (matched by
item, then by position), totals, activities, group members and attachments (by name).
Values are plain strings in the reader's language; `highlight_words` marks the words
that changed in a long text, HTML-escaped first.

Snapshots are stored data: every key may be missing (older revisions) and every value
may be of an unexpected type; nothing here raises on such input.
"""

import difflib
import re
from decimal import Decimal, InvalidOperation

from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.money import format_money
from grants.choices import ApplicantType, BudgetCategory, Stage

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

SECTION_LABELS = {
    "project": gettext_lazy("Project"),
    "answers": gettext_lazy("Answers"),
    "budget": gettext_lazy("Budget"),
    "totals": gettext_lazy("Budget totals"),
    "activities": gettext_lazy("Work plan"),
    "group_members": gettext_lazy("Members of the group"),
    "attachments": gettext_lazy("Attachments"),
}

PROJECT_FIELDS = (
    ("stage", gettext_lazy("Stage")),
    ("applicant_type", gettext_lazy("Applying as")),
    ("applicant", gettext_lazy("Applicant")),
    ("group_name", gettext_lazy("Name of the group")),
    ("title", gettext_lazy("Project title")),
    ("summary", gettext_lazy("Project summary")),
    ("municipality", gettext_lazy("Where the project takes place")),
    ("starts_on", gettext_lazy("Project starts")),
    ("ends_on", gettext_lazy("Project ends")),
)

TOTAL_FIELDS = (
    ("requested", gettext_lazy("Amount requested")),
    ("cofinancing", gettext_lazy("Co-financing")),
    ("total", gettext_lazy("Total cost")),
)

# A text this long (or with a line break) is shown with its changed words marked.
LONG_TEXT = 80


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value).strip()


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _language_key(language: str | None) -> str:
    lang = (language or get_language() or "sq").lower()
    return "sr" if lang.startswith("sr") else "en" if lang.startswith("en") else "sq"


def _label(labels, language: str | None) -> str:
    """A question's label in the reader's language, falling back to Albanian, then English."""
    if isinstance(labels, str):
        return labels
    labels = _dict(labels)
    key = _language_key(language)
    return _text(labels.get(key)) or _text(labels.get("sq")) or _text(labels.get("en"))


def _money(value) -> str:
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        return _text(value)
    return format_money(number)


def _number(value) -> str:
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        return _text(value)
    number = number.normalize() if number == number.to_integral() else number
    return formats.number_format(number, use_l10n=True)


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return _text(value)


def _project_value(name: str, snapshot: dict) -> str:
    value = snapshot.get(name)
    if name == "stage":
        return _choice_label(Stage, value) if value else ""
    if name == "applicant_type":
        return _choice_label(ApplicantType, value) if value else ""
    return _text(value)


def _budget_value(line: dict) -> str:
    category = _choice_label(BudgetCategory, line.get("category")) if line.get("category") else ""
    amount = line.get("amount")
    if amount in (None, ""):
        try:
            amount = Decimal(str(line.get("quantity"))) * Decimal(str(line.get("unit_cost")))
        except (InvalidOperation, ValueError, TypeError):
            amount = ""
    return _(
        "%(item)s (%(category)s): %(quantity)s × %(unit_cost)s = %(amount)s; requested %(requested)s,"
        " co-financing %(cofinancing)s"
    ) % {
        "item": _text(line.get("item")),
        "category": category,
        "quantity": _number(line.get("quantity")),
        "unit_cost": _money(line.get("unit_cost")),
        "amount": _money(amount),
        "requested": _money(line.get("requested")),
        "cofinancing": _money(line.get("cofinancing")),
    }


def _activity_value(activity: dict) -> str:
    text = _("%(title)s, %(starts)s – %(ends)s") % {
        "title": _text(activity.get("title")),
        "starts": _text(activity.get("starts_on")),
        "ends": _text(activity.get("ends_on")),
    }
    description = _text(activity.get("description"))
    return f"{text}: {description}" if description else text


def _member_value(member: dict) -> str:
    extra = ", ".join(v for v in (_text(member.get("role")), _text(member.get("email"))) if v)
    name = _text(member.get("name"))
    return f"{name} ({extra})" if extra else name


def _attachment_value(attachment: dict) -> str:
    name = _text(attachment.get("name"))
    size = attachment.get("size")
    try:
        return f"{name} ({filesizeformat(int(size))})"
    except (TypeError, ValueError):
        return name


def _key(value) -> str:
    return " ".join(_text(value).lower().split())


def _pair(old_items: list, new_items: list, key, *, by_position: bool = True) -> list[tuple]:
    """(old, new) pairs: equal items at the same position first, then items with the same key
    (the first unmatched one each time), then (`by_position`) what is left, by position; an
    item without a partner is paired with None."""
    pairs: list[tuple] = []
    old_left = list(range(len(old_items)))
    new_left = list(range(len(new_items)))
    for index in range(min(len(old_items), len(new_items))):
        if old_items[index] == new_items[index]:
            pairs.append((old_items[index], new_items[index]))
            old_left.remove(index)
            new_left.remove(index)
    for j in list(new_left):
        wanted = key(new_items[j])
        if not wanted:
            continue
        match = next((i for i in old_left if key(old_items[i]) == wanted), None)
        if match is not None:
            pairs.append((old_items[match], new_items[j]))
            old_left.remove(match)
            new_left.remove(j)
    while by_position and old_left and new_left:
        pairs.append((old_items[old_left.pop(0)], new_items[new_left.pop(0)]))
    pairs += [(old_items[i], None) for i in old_left]
    pairs += [(None, new_items[j]) for j in new_left]
    return pairs


def _change(section: str, label: str, old: str, new: str) -> dict | None:
    if old == new:
        return None
    kind = ADDED if not old else REMOVED if not new else CHANGED
    return {"section": section, "label": label, "old": old, "new": new, "kind": kind}


def _rows(section: str, old_items, new_items, *, key, value, label, by_position=True) -> list[dict]:
    changes = []
    for old, new in _pair(_list(old_items), _list(new_items), key, by_position=by_position):
        change = _change(
            section,
            label(new if new is not None else old),
            value(old) if old is not None else "",
            value(new) if new is not None else "",
        )
        if change:
            changes.append(change)
    return changes


def without_contacts(snapshot) -> dict:
    """The snapshot without the group members' email addresses (what reviewers may see)."""
    data = dict(_dict(snapshot))
    data["group_members"] = [
        {k: v for k, v in _dict(m).items() if k != "email"} for m in _list(data.get("group_members"))
    ]
    return data


def diff_snapshots(old: dict, new: dict, language: str | None = None) -> list[dict]:
    """Every difference between two snapshots (old → new), in the order of the application."""
    old, new = _dict(old), _dict(new)
    changes: list[dict | None] = []

    for name, label in PROJECT_FIELDS:
        changes.append(_change("project", str(label), _project_value(name, old), _project_value(name, new)))

    old_answers = {_text(a.get("key")): a for a in _list(old.get("answers"))}
    new_answers = {_text(a.get("key")): a for a in _list(new.get("answers"))}
    keys = list(new_answers) + [k for k in old_answers if k not in new_answers]
    for key in keys:
        before, after = old_answers.get(key, {}), new_answers.get(key, {})
        label = _label(after.get("label") or before.get("label"), language) or key
        changes.append(
            _change(
                "answers",
                label,
                _text(before.get("display", before.get("value"))),
                _text(after.get("display", after.get("value"))),
            )
        )

    changes += _rows(
        "budget",
        old.get("budget"),
        new.get("budget"),
        key=lambda line: _key(line.get("item")),
        value=_budget_value,
        label=lambda line: _("Budget line: %(item)s") % {"item": _text(line.get("item")) or "—"},
    )

    old_totals, new_totals = _dict(old.get("totals")), _dict(new.get("totals"))
    for name, label in TOTAL_FIELDS:
        before = _money(old_totals[name]) if old_totals.get(name) not in (None, "") else ""
        after = _money(new_totals[name]) if new_totals.get(name) not in (None, "") else ""
        changes.append(_change("totals", str(label), before, after))

    changes += _rows(
        "activities",
        old.get("activities"),
        new.get("activities"),
        key=lambda activity: _key(activity.get("title")),
        value=_activity_value,
        label=lambda activity: _text(activity.get("title")) or "—",
    )
    changes += _rows(
        "group_members",
        old.get("group_members"),
        new.get("group_members"),
        key=lambda member: _key(member.get("name")),
        value=_member_value,
        label=lambda member: _text(member.get("name")) or "—",
        by_position=False,
    )

    old_files, new_files = _list(old.get("attachments")), _list(new.get("attachments"))
    for before, after in _pair(old_files, new_files, lambda a: _key(a.get("name")), by_position=False):
        old_text = _attachment_value(before) if before is not None else ""
        new_text = _attachment_value(after) if after is not None else ""
        if before is not None and after is not None and before.get("id") != after.get("id"):
            new_text = _("%(file)s — uploaded again") % {"file": new_text}
        shown = after if after is not None else before
        changes.append(_change("attachments", _text(shown.get("name")) or "—", old_text, new_text))

    return [change for change in changes if change]


# --- showing a change ----------------------------------------------------------------------

_TOKENS = re.compile(r"(\s+)")


def highlight_words(old: str, new: str) -> tuple[str, str]:
    """(old, new) as safe HTML: every word is escaped, words removed from `old` are in
    <del>, words added in `new` are in <ins>."""
    before, after = _TOKENS.split(old or ""), _TOKENS.split(new or "")
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = escape("".join(before[i1:i2]))
        added = escape("".join(after[j1:j2]))
        if op == "equal":
            old_html.append(removed)
            new_html.append(added)
            continue
        if removed:
            old_html.append(f'<del class="bg-danger-subtle">{removed}</del>')
        if added:
            new_html.append(f'<ins class="bg-success-subtle">{added}</ins>')
    # Every token was escaped above.
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def is_long(change: dict) -> bool:
    return any(len(change[side]) > LONG_TEXT or "\n" in change[side] for side in ("old", "new"))


def with_highlights(changes: list[dict]) -> list[dict]:
    """The changes with `old_html` / `new_html` (changed words marked) for long texts that
    changed, and `section_label` for headings."""
    shown = []
    for change in changes:
        item = {**change, "section_label": SECTION_LABELS.get(change["section"], change["section"])}
        if change["kind"] == CHANGED and is_long(change):
            item["old_html"], item["new_html"] = highlight_words(change["old"], change["new"])
            item["long"] = True
        shown.append(item)
    return shown
