"""Background jobs whose send may be lost: one registry, one beat task that sends them again.

A job is a row with a queued state (a report export, an import batch, a yearly PDF...) and
a Celery task that takes the row's id first. Its send is lost when the broker is down or
restarts between the row's commit and a worker taking the message: the row then stays
"queued" for ever. Each app registers its jobs here (in its `jobs.py`, imported by its
`ready()`):

    jobs.register(
        "giving.yearly_report",
        waiting=lambda: GivingYearlyReport.objects.filter(status="queued"),
        tasks=("giving.tasks.build_yearly_report",),
        default=lambda report: ("giving.tasks.build_yearly_report", [str(report.pk)]),
    )

- `waiting()`: the jobs queued and not started (any age); their model has `updated_at`.
- `tasks`: the task names that run these jobs. `core.notifications.enqueue_on_commit` records
  each send of one of them (task and arguments, `JobDispatch`) in the caller's transaction,
  so a job is sent again exactly as it was sent first.
- `default(job)`: (task, args) for a waiting job without a recorded send (None: leave it).

`core.tasks.jobs_requeue` (beat, every minute) calls `requeue()`: every job waiting for
longer than its kind's `after` (REQUEUE_AFTER by default) since its last change is touched
(so it is sent at most once per `after`) and its task sent again. Tasks are idempotent (only the run that claims the
row works), so a duplicate send does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

REQUEUE_AFTER = timedelta(minutes=1)
REQUEUE_BATCH = 200
DISPATCH_KEPT_FOR = timedelta(days=30)


@dataclass(frozen=True)
class JobKind:
    name: str
    waiting: Callable
    tasks: tuple[str, ...]
    default: Callable | None = None
    after: timedelta = REQUEUE_AFTER


_kinds: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    waiting: Callable,
    tasks: tuple[str, ...] = (),
    default: Callable | None = None,
    after: timedelta = REQUEUE_AFTER,
) -> None:
    """Register a kind of background job (see the module docstring); `after`: how long a job
    waits since its last change before it is sent again."""
    _kinds[name] = JobKind(name=name, waiting=waiting, tasks=tuple(tasks), default=default, after=after)


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def kinds() -> list[JobKind]:
    return list(_kinds.values())


def kind_of_task(task_name: str) -> JobKind | None:
    return next((kind for kind in _kinds.values() if task_name in kind.tasks), None)


def record_send(task_name: str, args) -> None:
    """Remember the send of a job's task (called by `enqueue_on_commit`, in the caller's
    transaction); a task of no registered job is not recorded."""
    from core.models import JobDispatch

    kind = kind_of_task(task_name)
    if kind is None or not args:
        return
    JobDispatch.objects.update_or_create(
        job=f"{kind.name}:{args[0]}", defaults={"task": task_name, "args": list(args)}
    )


class BrokerDown(Exception):
    pass


def _send(task_name: str, args) -> None:
    from kombu.exceptions import OperationalError

    try:
        import_string(task_name).delay(*args)
    except (OperationalError, RuntimeError, OSError) as exc:
        raise BrokerDown(str(exc)) from exc


def requeue() -> int:
    """Send again every registered job waiting for longer than its kind's `after`; how many
    were sent. Stops at the first send the broker refuses (the next run tries again)."""
    from core.models import JobDispatch

    now = timezone.now()
    JobDispatch.objects.filter(updated_at__lt=now - DISPATCH_KEPT_FOR).delete()
    sent = 0
    for kind in kinds():
        cutoff = now - kind.after
        for job in kind.waiting().filter(updated_at__lt=cutoff).order_by("updated_at")[:REQUEUE_BATCH]:
            dispatch = JobDispatch.objects.filter(job=f"{kind.name}:{job.pk}").first()
            if dispatch is not None:
                task_name, args = dispatch.task, dispatch.args
            elif kind.default is not None and (found := kind.default(job)) is not None:
                task_name, args = found
            else:
                logger.warning("Background job %s:%s is waiting and cannot be sent again", kind.name, job.pk)
                continue
            # Touch first, only if still waiting and not touched by another run meanwhile.
            if not kind.waiting().filter(pk=job.pk, updated_at__lt=cutoff).update(updated_at=timezone.now()):
                continue
            try:
                _send(task_name, args)
            except BrokerDown as exc:
                logger.warning("Could not requeue %s:%s, the broker is down: %s", kind.name, job.pk, exc)
                return sent
            logger.info("Requeued background job %s:%s (%s)", kind.name, job.pk, task_name)
            sent += 1
    return sent
