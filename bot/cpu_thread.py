"""Where the CPU work that must not hold up the event loop runs (a long message prepared,
explained or redacted; /fwerror's query): two threads of its own.

That work is Python, so it holds the GIL, and every busy thread makes the event loop wait
longer for the GIL after each wake-up. Under a burst the default executor's six threads kept
the loop from its own work for hundreds of milliseconds at a time; two give the same
throughput (the GIL runs one at a time anyway), and one big paste still doesn't hold up the
rest.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

THREADS = 2
_pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="fwerror-cpu")


async def off_loop(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` in one of the threads, awaited."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(work, *args, **kwargs))
