"""Bounds on the work a background task may do with what people upload.

`memory_limit(megabytes)` lowers the process's address-space limit (RLIMIT_AS) to what it
uses now plus `megabytes` while a block runs, and puts the old limit back afterwards: an
allocation past it raises MemoryError in the block (which the caller turns into a message)
instead of the kernel's OOM killer taking the worker, or the machine, down. Time is
bounded by the tasks' own `soft_time_limit` / `time_limit` (prefork pool).

The limit is the process's, so use it in Celery tasks (a prefork child runs one task at a
time), never in a web request served by threads. Where RLIMIT_AS is not available (not
Linux) the block runs without a limit. A worker can also be recycled after a big task with
`celery worker --max-memory-per-child=<KiB>`; that bounds what a child keeps, not what one
task takes, hence this.
"""

import logging
import os
import threading
from contextlib import contextmanager

logger = logging.getLogger(__name__)

try:
    import resource
except ImportError:  # pragma: no cover - not on Linux
    resource = None


def address_space_bytes() -> int | None:
    """The process's virtual memory size now (VmSize), or None where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_limit(megabytes: int):
    """Run the block with at most `megabytes` more address space than the process has now."""
    used = address_space_bytes()
    if resource is None or used is None or megabytes is None:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        # Served by a thread (runserver, which runs tasks eagerly in `make run`; a threaded
        # gunicorn): the limit would bind the process's other threads too. Tasks in a Celery
        # prefork child run in its main thread and are bounded.
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already bounded more tightly
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # pragma: no cover - not permitted here
        logger.warning("Could not set a memory limit of %s MB", megabytes)
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
