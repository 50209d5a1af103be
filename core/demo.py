"""The demo-data registry: every app seeds its own part, from its `demo.py`.

`manage.py seed_demo` (so `make run`) imports the `demo` module of every installed app
(like the admin's `admin.py`) and runs the parts registered there, each after the parts
it names in `after`, otherwise in the order of INSTALLED_APPS::

    # volunteering/demo.py
    from accounts.demo import demo_admin
    from core import demo
    from organizations.demo import demo_organizations

    @demo.register(after=("organizations",), summary="{created} volunteering rows created")
    def seed() -> int:
        if Opportunity.objects.filter(...demo rows...).exists():
            return 0  # idempotent: a second run changes nothing
        ...
        return created

A part reads what the layers below seeded through their demo modules (`accounts.demo`,
`organizations.demo`), never through an app beside it, is deterministic (a fixed random
seed), idempotent, and returns how many rows it created. An app that is not installed has
no part: the others run without it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DemoPart:
    app_label: str
    seed: Callable[[], int]
    after: tuple[str, ...] = ()
    summary: str = "{created} rows created"

    def run(self) -> str:
        return f"{self.app_label}: " + self.summary.format(created=self.seed())


_parts: dict[str, DemoPart] = {}


def register(*, after: Iterable[str] = (), summary: str = "{created} rows created"):
    """Decorator of an app's `seed() -> int` (one part per app; registering again replaces it)."""

    def decorator(seed: Callable[[], int]) -> Callable[[], int]:
        config = apps.get_containing_app_config(seed.__module__)
        if config is None:
            raise ImproperlyConfigured(f"{seed.__module__} is not in an installed app.")
        _parts[config.label] = DemoPart(config.label, seed, tuple(after), summary)
        return seed

    return decorator


def ordered(parts: Iterable[DemoPart]) -> list[DemoPart]:
    """Each part after those it names in `after` (names of apps without a part are
    ignored), otherwise in the order given."""
    pending = list(parts)
    labels = {part.app_label for part in pending}
    done: list[DemoPart] = []
    seen: set[str] = set()
    while pending:
        ready = next(
            (p for p in pending if all(a in seen or a not in labels for a in p.after)),
            None,
        )
        if ready is None:
            names = ", ".join(p.app_label for p in pending)
            raise ImproperlyConfigured(f"The demo parts of {names} wait for each other (see their `after`).")
        pending.remove(ready)
        done.append(ready)
        seen.add(ready.app_label)
    return done


def parts() -> list[DemoPart]:
    """The parts of the installed apps, in the order they run."""
    autodiscover_modules("demo")
    order = [config.label for config in apps.get_app_configs()]
    installed = [part for part in _parts.values() if part.app_label in order]
    return ordered(sorted(installed, key=lambda part: order.index(part.app_label)))


def demo_municipalities() -> dict:
    """The reference municipalities by slug (core's data migration loads them)."""
    from core.models import Municipality

    return {m.slug: m for m in Municipality.objects.all()}
