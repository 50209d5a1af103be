"""core.limits.memory_limit and core.exports.csv_chunks (issue 12: bounded work)."""

import datetime
import io
import resource

import pytest

from core import exports, limits


def test_csv_chunks_write_what_write_csv_writes():
    columns = ["name", "amount", "when"]
    rows = [['=HYPERLINK("x")', 12, datetime.date(2024, 3, 1)], ["Drita", -5, None]] * 700
    out = io.BytesIO()
    exports.write_csv(out, columns, rows)
    chunks = list(exports.csv_chunks(columns, iter(rows), rows_per_chunk=500))
    assert b"".join(chunks) == out.getvalue()
    assert len(chunks) == 4  # the header, 500, 500 and the last 400 rows
    assert b"'=HYPERLINK" in chunks[1]


def test_memory_limit_refuses_past_the_budget_and_is_lifted_after():
    if limits.address_space_bytes() is None:
        pytest.skip("no /proc/self/statm here")
    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError):
        with limits.memory_limit(32):
            bytearray(512 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    bytearray(512 * 1024 * 1024)


def test_memory_limit_is_not_set_from_a_thread_of_a_threaded_server():
    """In `make run` tasks run eagerly inside runserver's request threads: a process-wide
    limit there would bind every other request too, so it is only set in the main thread."""
    import resource
    import threading

    seen = []

    def in_a_thread():
        before = resource.getrlimit(resource.RLIMIT_AS)
        with limits.memory_limit(32):
            seen.append(resource.getrlimit(resource.RLIMIT_AS) == before)

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert seen == [True]
