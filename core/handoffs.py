"""Hand-offs between apps: one app turns what it knows into a draft in another, without
importing it. The receiving app registers, from its `AppConfig.ready()`, a function that
creates a draft from plain facts for a user, with its own services and permission checks:

    handoffs.register("grants.application_draft", create=grants.handoffs.application_draft)

and the sending app calls it by name:

    url = handoffs.create("grants.application_draft", user=request.user, facts={...})

`create` returns the URL of the draft (where the user goes on editing it). A receiver that
refuses (the user may not create it there, nothing fits) raises ValidationError with a
message for the user; a name nobody registered raises LookupError.

Facts are plain values (text, numbers, ids) — a hand-off never passes a model instance.
"""

from collections.abc import Callable

_RECEIVERS: dict[str, Callable[..., str]] = {}


def register(name: str, *, create: Callable[..., str]) -> None:
    """Register the receiver of hand-off `name` ("<app>.<what>"); idempotent per name."""
    _RECEIVERS[name] = create


def is_registered(name: str) -> bool:
    return name in _RECEIVERS


def create(name: str, *, user, facts: dict) -> str:
    """Create the draft `name` for `user` from `facts`; the URL of the draft."""
    if name not in _RECEIVERS:
        raise LookupError(f"No hand-off {name!r} is registered.")
    return _RECEIVERS[name](user=user, facts=dict(facts))
