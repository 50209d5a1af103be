"""One helper for every status pipeline (in the spirit of django-oscar's): an app declares,
in its `workflow.py`, one `Workflow` per model — the statuses, the table of allowed moves
and the permission of each, the button label of each target and the colour of each status —
and its services make every move through `Workflow.move`, which checks the table and the
permission, saves the status and writes one `core.StatusChange` (who, when, from, to, why).

    APPLICATION = Workflow(
        name="grants.application",
        statuses=ApplicationStatus,
        moves={S.DRAFT: {S.SUBMITTED: "grants.submit_application"}, ...},
        labels={S.SUBMITTED: gettext_lazy("Submit"), ...},
        colours={S.DRAFT: "secondary", ...},
    )

    with transaction.atomic():
        application = lock(application)          # lock first: select_for_update
        APPLICATION.move(application, S.SUBMITTED, actor=user, fields=["submitted_at"])

Pages draw the buttons of `available_moves(user, obj)` and the badge of a status with
`{% status_badge obj %}` (core_tags), so the labels and colours live in one place.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.permissions import require

_WORKFLOWS: dict[str, "Workflow"] = {}  # model label ("grants.application") -> its workflow


class TransitionNotAllowed(ValidationError):
    """A move the table does not allow (shown as a 400 with this message)."""


@dataclass(frozen=True, eq=False)
class Workflow:
    """The statuses of one model and the moves between them, as data.

    - `moves`: {from: {to: "app.permission"}}; a status missing from the table has no move.
    - `labels`: the button label of each target ("Submit", "Approve").
    - `colours`: one Bootstrap contextual name per status ("success", "warning", ...).
    - `guards`: {target: guard(obj) -> bool}: whether the move to `target` is offered on
      this object's page (e.g. "invite" only for a concept note). Pages only: services
      enforce the rules behind a guard with their own messages.
    - `permission_object`: the object the permission is checked on, when it is not the
      object itself (a tranche's permission is the grant's).
    - `refusal`: the message of a refused move, with %(current)s and %(target)s (the
      statuses' labels), or a function (current, target) -> message.
    """

    name: str
    model: str  # "app_label.modelname"
    statuses: type
    moves: dict
    labels: dict = field(default_factory=dict)
    colours: dict = field(default_factory=dict)
    guards: dict = field(default_factory=dict)
    permission_object: Callable | None = None
    refusal: object = gettext_lazy("“%(current)s” cannot become “%(target)s”.")
    status_field: str = "status"
    code: str = "transition_not_allowed"  # the ValidationError's code of a refused move

    def __post_init__(self):
        _WORKFLOWS[self.model.lower()] = self

    # --- the table ------------------------------------------------------------------------

    def label(self, status) -> str:
        """The status's translated label; the raw value for what is not a status."""
        try:
            return str(self.statuses(status).label)
        except (ValueError, TypeError):  # not a status at all (tampered input)
            return str(status)

    def colour(self, status) -> str:
        return self.colours.get(status, "secondary")

    def check(self, current, target, *, refusal: str | None = None) -> str:
        """The permission the move needs; TransitionNotAllowed when the table has no such
        move, with `refusal` (already formatted) or the workflow's message."""
        try:
            return self.moves[current][target]
        except (KeyError, TypeError):
            if refusal is None:
                current_label, target_label = self.label(current), self.label(target)
                if callable(self.refusal):
                    refusal = self.refusal(current_label, target_label)
                else:
                    refusal = str(self.refusal) % {"current": current_label, "target": target_label}
            raise TransitionNotAllowed(refusal, code=self.code) from None

    def allows(self, current, target) -> bool:
        return target in self.moves.get(current, {})

    # --- one move -------------------------------------------------------------------------

    def move(
        self,
        obj,
        target,
        *,
        actor,
        note: str = "",
        fields=(),
        check_perm: bool = True,
        refusal: str | None = None,
    ):
        """Move `obj` to `target`. Lock first: the caller holds a transaction and has
        re-read `obj` with select_for_update, so the status checked is the status saved.
        Checks the table, then (unless `check_perm` is False: the caller has checked it)
        the permission, saves the status and `fields` (and `updated_at` when the model has
        it), and writes one StatusChange. Returns the StatusChange."""
        from core.models import StatusChange

        current = getattr(obj, self.status_field)
        perm = self.check(current, target, refusal=refusal)
        if check_perm:
            require(actor, perm, self._permission_object(obj))
        setattr(obj, self.status_field, target)
        update_fields = [self.status_field, *(f for f in fields if f != self.status_field)]
        if _has_field(obj, "updated_at") and "updated_at" not in update_fields:
            update_fields.append("updated_at")
        obj._history_user = actor  # simple_history: who made this change
        obj.save(update_fields=update_fields)
        return StatusChange.objects.create(
            content_type=_content_type(obj),
            object_id=obj.pk,
            workflow=self.name,
            from_status=current or "",
            to_status=target,
            actor=actor if getattr(actor, "pk", None) else None,
            note=(note or "")[:5000],
        )

    # --- what pages show ------------------------------------------------------------------

    def available_moves(self, user, obj) -> list[tuple[str, str]]:
        """(target, button label) of the moves `user` may make on `obj` now, in the order
        of the table."""
        moves = []
        for target, perm in self.moves.get(getattr(obj, self.status_field), {}).items():
            guard = self.guards.get(target)
            if guard is not None and not guard(obj):
                continue
            if user is not None and user.has_perm(perm, self._permission_object(obj)):
                moves.append((target, str(self.labels.get(target, self.label(target)))))
        return moves

    def history(self, obj):
        """The StatusChange rows of `obj`, oldest first, with their actors."""
        from core.models import StatusChange

        return StatusChange.objects.filter(content_type=_content_type(obj), object_id=obj.pk).select_related(
            "actor"
        )

    def _permission_object(self, obj):
        return self.permission_object(obj) if self.permission_object else obj


def _has_field(obj, name: str) -> bool:
    return any(f.name == name for f in obj._meta.concrete_fields)


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


def for_model(model_or_obj) -> Workflow:
    """The workflow declared for this model (importing `<app>.workflow` on first use)."""
    meta = model_or_obj._meta
    key = meta.label_lower
    if key not in _WORKFLOWS:
        try:
            import_module(f"{meta.app_config.module.__name__}.workflow")
        except ModuleNotFoundError:
            pass
    try:
        return _WORKFLOWS[key]
    except KeyError:
        raise LookupError(f"No workflow is declared for {meta.label}.") from None


def by_name(name: str) -> Workflow:
    """The workflow called `name` ("grants.application"), importing the app's workflow.py."""
    for workflow in _WORKFLOWS.values():
        if workflow.name == name:
            return workflow
    import_module(f"{name.split('.', 1)[0]}.workflow")
    for workflow in _WORKFLOWS.values():
        if workflow.name == name:
            return workflow
    raise LookupError(f"No workflow is called {name}.")


def history(obj):
    """The StatusChange rows of `obj` (any model with a workflow), oldest first."""
    return for_model(obj).history(obj)


def available_moves(user, obj) -> list[tuple[str, str]]:
    return for_model(obj).available_moves(user, obj)
