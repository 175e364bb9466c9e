"""A fair (first come, first served) HTTP/1.1 connection pool for httpx, async and sync.

Why this exists: httpcore's pool (1.0.9, the pool behind every httpx client) is the bottleneck
under load, and its maintainers have not fixed it (encode/httpcore#822, #1110; fixes open in
#1000, #1035, #1111). ``ConnectionPool._assign_requests_to_connections`` hands a queued request an
idle connection but leaves the connection ``IDLE`` until that request's task (or thread) runs
and marks it ``ACTIVE``. Every pass in between sees the same connection as available: every
request queued in one pass gets ``available_connections[0]``, and requests that start in the same
event-loop tick before the first one runs all get it too. All but one then raise
``ConnectionNotAvailable``, queue again and run another pass, which opens surplus connections
and polls every idle socket (``has_expired``); who wins is whoever the scheduler wakes first,
not who asked first. (The same pass also counts every connection, not the idle ones, against
``max_keepalive_connections``.)

This pool keeps httpcore's connections (``httpcore.AsyncHTTPConnection``: HTTP/1.1, keep-alive,
per-request timeouts from ``request.extensions["timeout"]``, read on every read, so a timeout
changed after the headers still applies) and replaces only the hand-out:

- a request first takes a *slot* (at most ``max_connections``); without a free slot it waits in a
  FIFO queue, and a released slot goes straight to the longest waiting request (nobody barges
  in), bounded by the ``pool`` timeout;
- with the slot it takes the most recently used idle connection of its origin, else opens one,
  closing the least recently used idle connection if the pool is full; a connection is never
  handed to two requests, so ``ConnectionNotAvailable`` is left for a server that closed it;
- the slot and the connection come back when the response is closed (or the request fails or
  is cancelled: a cancelled waiter leaves the queue, a cancelled holder releases its slot).

Measured with ``uv run python benchmarks/bench_pool.py --repeat 3`` (50 callers, each sending
requests back to back for 5 s, against the local fake backend in another process; 2 shared
cores; medians of 3 rounds). httpcore's pool -> this one; "max/min" compares the requests each
caller completed, "retries" counts ``ConnectionNotAvailable``, CPU is per request at 50 callers:

    POOL_LIMITS (200)     p99/p50       max/min        CPU ms/req    retries       req/s
    raw httpx, async      5.70 -> 1.44  1.77 -> 1.01   1.45 -> 0.77  15,627 -> 0   688 -> 1,263
    AsyncChatGPT          5.77 -> 1.57  1.70 -> 1.01   1.70 -> 0.96  13,293 -> 0   589 -> 1,030
    proxy                 4.62 -> 1.81  1.61 -> 1.05   2.34 -> 1.25   8,411 -> 0   426 -> 722
    httpx.Client, threads 3.04 -> 2.95  1.38 -> 1.27   1.68 -> 0.95     221 -> 0   589 -> 983
    10 connections
    raw httpx, async      6.07 -> 1.24  1.65 -> 1.01   1.35 -> 0.84  17,012 -> 0   741 -> 1,183
    AsyncChatGPT          6.04 -> 1.36  1.76 -> 1.01   1.61 -> 1.08  14,294 -> 0   621 -> 922
    httpx.Client, threads 3.14 -> 1.27  1.32 -> 1.04   1.03 -> 0.97     462 -> 0   925 -> 968

CPU per request of a single caller is unchanged (raw httpx 0.99 -> 0.95 ms, AsyncChatGPT 1.22 ->
1.22 ms). What p99 keeps beyond p50 with this pool is not ordering (every caller completes the
same count) but stalls of the whole process: with ``--freeze`` (``gc.freeze()`` once warm, as
``chatgpt-sdk serve`` does) p99/p50 is 1.17 for raw httpx, 1.19 for AsyncChatGPT and 1.39 for
the proxy, so most of it was the garbage collector's full passes over the long-lived objects.
With threads, which thread runs next is the GIL's choice, not the pool's.

HTTP/1.1 only (the backend speaks it; a slot is one request on one connection). Proxies from the
environment are still mounted by httpx with its own transport.
"""

from __future__ import annotations

from chatgpt_sdk._pool._async import FairAsyncConnectionPool, FairAsyncTransport, fair_async_client
from chatgpt_sdk._pool._sync import FairConnectionPool, FairTransport, fair_client

__all__ = [
    "FairAsyncConnectionPool",
    "FairAsyncTransport",
    "FairConnectionPool",
    "FairTransport",
    "fair_async_client",
    "fair_client",
]
