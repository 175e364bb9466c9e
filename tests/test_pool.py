"""The fair connection pool (``chatgpt_sdk._pool``) over a real loopback server.

The server is a small asyncio HTTP/1.1 server in a thread of its own, so it serves async and
threaded clients alike and counts the TCP connections it accepts. Paths: ``/ok``, ``/slow?ms=N``
(answers after N ms), ``/stall`` (headers, then no body for 10 s), ``/big?n=N`` (N bytes,
chunked), ``/close`` (answers, then closes the connection without saying so).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from chatgpt_sdk import AsyncChatGPT
from chatgpt_sdk._core import POOL_LIMITS
from chatgpt_sdk._pool import (
    FairAsyncConnectionPool,
    FairConnectionPool,
    fair_async_client,
    fair_client,
)
from chatgpt_sdk.auth import StaticTokenProvider
from chatgpt_sdk.testing import FakeChatGPTBackend


class LoopbackServer:
    def __init__(self) -> None:
        self.connects = 0
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        assert self._ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)

    def _run(self) -> None:
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        handlers: set[asyncio.Task[None]] = set()

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connects += 1
            task = asyncio.current_task()
            assert task is not None
            handlers.add(task)
            try:
                await self._serve(reader, writer)
            except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
                pass
            finally:
                handlers.discard(task)
                writer.close()

        server = await asyncio.start_server(accept, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        self._ready.set()
        await self._stop.wait()
        server.close()
        for task in list(handlers):
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1]
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            url = urlsplit(target)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/slow":
                await asyncio.sleep(int(query["ms"]) / 1000)
            if url.path == "/stall":
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n")
                await writer.drain()
                await asyncio.sleep(10)
                return
            if url.path == "/big":
                writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                left = int(query["n"])
                while left:
                    size = min(left, 65536)
                    writer.write(b"%x\r\n%s\r\n" % (size, b"x" * size))
                    await writer.drain()
                    left -= size
                writer.write(b"0\r\n\r\n")
            else:
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            await writer.drain()
            if url.path == "/close":
                return


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def limits(connections: int) -> httpx.Limits:
    return httpx.Limits(max_connections=connections, max_keepalive_connections=connections)


def async_pool(client: httpx.AsyncClient) -> FairAsyncConnectionPool:
    pool = client._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, FairAsyncConnectionPool)
    return pool


def sync_pool(client: httpx.Client) -> FairConnectionPool:
    pool = client._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, FairConnectionPool)
    return pool


@contextlib.asynccontextmanager
async def held(client: httpx.AsyncClient, url: str) -> AsyncIterator[httpx.Response]:
    """A response whose slot stays taken until the block ends (its body unread, so its
    connection is closed then, not reused)."""
    async with client.stream("GET", url) as response:
        yield response


async def wait_until(condition: Callable[[], bool], seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.001)


def queued(pool: FairAsyncConnectionPool, count: int) -> Callable[[], bool]:
    return lambda: len(pool._waiters) == count


# -- fairness --------------------------------------------------------------------------------


async def test_slots_are_granted_in_the_order_they_were_asked_for(server: LoopbackServer) -> None:
    async with fair_async_client(limits(1)) as client:
        pool, order = async_pool(client), []

        async def request(index: int) -> None:
            response = await client.get(server.url + "/ok")
            assert response.text == "ok"
            order.append(index)

        async with held(client, server.url + "/ok"):
            tasks = []
            for index in range(20):
                tasks.append(asyncio.create_task(request(index)))
                await wait_until(queued(pool, index + 1))
        await asyncio.gather(*tasks)
    assert order == list(range(20))


@pytest.mark.parametrize("connections", [10, 50])
async def test_every_caller_is_served_alike_under_load(
    server: LoopbackServer, connections: int
) -> None:
    """50 callers in a loop for a fixed time: completions within 20% of each other."""
    async with fair_async_client(limits(connections)) as client:
        counts = [0] * 50
        await asyncio.gather(*(client.get(server.url + "/ok") for _ in range(50)))
        deadline = time.monotonic() + 1.0

        async def caller(index: int) -> None:
            while time.monotonic() < deadline:
                response = await client.get(server.url + "/ok")
                assert response.text == "ok"
                counts[index] += 1

        await asyncio.gather(*(caller(i) for i in range(50)))
        pool = async_pool(client)
        assert pool._busy == 0
        assert not pool._waiters
    assert min(counts) >= 5
    assert max(counts) <= 1.2 * min(counts), counts
    assert server.connects <= connections


def test_threads_are_granted_slots_in_the_order_they_asked(server: LoopbackServer) -> None:
    with fair_client(limits(1)) as client:
        pool, order = sync_pool(client), []

        def request(index: int) -> None:
            assert client.get(server.url + "/ok").text == "ok"
            order.append(index)

        threads = []
        with client.stream("GET", server.url + "/ok"):
            for index in range(10):
                thread = threading.Thread(target=request, args=(index,))
                thread.start()
                threads.append(thread)
                deadline = time.monotonic() + 2
                while len(pool._waiters) != index + 1:
                    assert time.monotonic() < deadline
                    time.sleep(0.001)
        for thread in threads:
            thread.join(5)
    assert order == list(range(10))


# -- cancellation ------------------------------------------------------------------------------


async def test_cancelled_waiters_leave_the_queue(server: LoopbackServer) -> None:
    async with fair_async_client(limits(2)) as client:
        pool = async_pool(client)
        async with held(client, server.url + "/ok"), held(client, server.url + "/ok"):
            waiters = [asyncio.create_task(client.get(server.url + "/ok")) for _ in range(5)]
            await wait_until(lambda: len(pool._waiters) == 5)
            for task in waiters:
                task.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)
            assert not pool._waiters
        answers = await asyncio.gather(*(client.get(server.url + "/ok") for _ in range(10)))
        assert [a.text for a in answers] == ["ok"] * 10
        assert pool._busy == 0
        assert len(pool.connections) <= 2


async def test_cancelled_requests_in_flight_release_their_slots(server: LoopbackServer) -> None:
    async with fair_async_client(limits(2)) as client:
        pool = async_pool(client)
        # Waiting for the headers, and part-way through a body.
        slow = [asyncio.create_task(client.get(server.url + "/slow?ms=2000")) for _ in range(2)]
        await wait_until(lambda: pool._busy == 2)
        await asyncio.sleep(0.05)
        for task in slow:
            task.cancel()
        await asyncio.gather(*slow, return_exceptions=True)
        assert pool._busy == 0

        async def read_some() -> None:
            async with client.stream("GET", server.url + "/big?n=4000000") as response:
                async for _ in response.aiter_bytes():
                    await asyncio.sleep(1)

        readers = [asyncio.create_task(read_some()) for _ in range(2)]
        await wait_until(lambda: pool._busy == 2)
        await asyncio.sleep(0.05)
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        assert pool._busy == 0
        timeout = httpx.Timeout(5.0, pool=1.0)
        answers = await asyncio.gather(
            *(client.get(server.url + "/ok", timeout=timeout) for _ in range(10))
        )
        assert [a.text for a in answers] == ["ok"] * 10


async def test_a_slot_granted_to_a_cancelled_task_goes_to_the_next(server: LoopbackServer) -> None:
    async with fair_async_client(limits(1)) as client:
        pool = async_pool(client)
        response = await client.send(client.build_request("GET", server.url + "/ok"), stream=True)
        first = asyncio.create_task(client.get(server.url + "/ok"))
        await wait_until(lambda: len(pool._waiters) == 1)
        second = asyncio.create_task(client.get(server.url + "/ok"))
        await wait_until(lambda: len(pool._waiters) == 2)
        await response.aclose()  # grants ``first`` its slot; it has not run yet
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        assert (await asyncio.wait_for(second, 2)).text == "ok"
        assert pool._busy == 0


async def test_a_waiter_cancelled_and_dropped_before_it_runs_still_ends_cancelled() -> None:
    pool = FairAsyncConnectionPool(max_connections=1)
    await pool._acquire(None)
    waiter = asyncio.create_task(pool._acquire(None))
    await wait_until(lambda: len(pool._waiters) == 1)
    waiter.cancel()
    pool._release()  # sees the cancelled waiter first, drops it and frees the slot
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert pool._busy == 0
    assert not pool._waiters


# -- timeouts ------------------------------------------------------------------------------------


async def test_pool_timeout(server: LoopbackServer) -> None:
    async with fair_async_client(limits(1)) as client:
        pool = async_pool(client)
        async with held(client, server.url + "/ok"):
            with pytest.raises(httpx.PoolTimeout):
                await client.get(server.url + "/ok", timeout=httpx.Timeout(5.0, pool=0.05))
            assert not pool._waiters
        assert (await client.get(server.url + "/ok")).text == "ok"


async def test_read_timeout_changed_after_the_headers_applies(server: LoopbackServer) -> None:
    """What the client does once a reply has started (``Core.streaming_started``)."""
    async with fair_async_client(limits(2)) as client:
        request = client.build_request("GET", server.url + "/stall", timeout=30.0)
        response = await client.send(request, stream=True)
        response.request.extensions["timeout"]["read"] = 0.1
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            await response.aread()
        assert time.monotonic() - started < 5
        await response.aclose()
        assert async_pool(client)._busy == 0
        with pytest.raises(httpx.ReadTimeout):
            await client.get(server.url + "/slow?ms=1000", timeout=0.1)
        assert (await client.get(server.url + "/ok")).text == "ok"


def test_sync_timeouts(server: LoopbackServer) -> None:
    with fair_client(limits(1)) as client:
        with client.stream("GET", server.url + "/ok"), pytest.raises(httpx.PoolTimeout):
            client.get(server.url + "/ok", timeout=httpx.Timeout(5.0, pool=0.05))
        assert not sync_pool(client)._waiters
        request = client.build_request("GET", server.url + "/stall", timeout=30.0)
        response = client.send(request, stream=True)
        response.request.extensions["timeout"]["read"] = 0.1
        with pytest.raises(httpx.ReadTimeout):
            response.read()
        response.close()
        assert client.get(server.url + "/ok").text == "ok"
        assert sync_pool(client)._busy == 0


# -- connections ---------------------------------------------------------------------------------


async def test_connections_are_kept_alive_and_reused(server: LoopbackServer) -> None:
    async with fair_async_client(limits(5)) as client:
        for _ in range(20):
            assert (await client.get(server.url + "/ok")).text == "ok"
        assert server.connects == 1
        for _ in range(3):
            answers = await asyncio.gather(*(client.get(server.url + "/ok") for _ in range(30)))
            assert {a.text for a in answers} == {"ok"}
        body = b""
        async with client.stream("GET", server.url + "/big?n=1000000") as response:
            async for chunk in response.aiter_bytes():
                body += chunk
        assert body == b"x" * 1_000_000
        assert len(async_pool(client).connections) <= 5
    assert server.connects <= 5


async def test_connections_the_server_closed_are_replaced(server: LoopbackServer) -> None:
    async with fair_async_client(limits(2)) as client:
        for _ in range(5):
            assert (await client.get(server.url + "/close")).text == "ok"
            await asyncio.sleep(0.02)  # the server's close has arrived
        assert server.connects == 5
        assert async_pool(client)._busy == 0


def test_sync_connections_are_reused_by_threads(server: LoopbackServer) -> None:
    with fair_client(limits(4)) as client:

        def caller() -> None:
            for _ in range(20):
                assert client.get(server.url + "/ok").text == "ok"

        threads = [threading.Thread(target=caller) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sync_pool(client)._busy == 0
    assert server.connects <= 4


async def test_async_chatgpt_on_the_fair_pool() -> None:
    """The one-line wiring: ``http_client=fair_async_client(POOL_LIMITS)``, streamed or not."""
    backend = FakeChatGPTBackend()
    with backend.serve() as fake:
        provider = StaticTokenProvider(backend.access_token, account_id=backend.account_id)
        http = fair_async_client(POOL_LIMITS, follow_redirects=False)
        async with (
            http,
            AsyncChatGPT(
                token_provider=provider, base_url=fake.url + "/backend-api/codex", http_client=http
            ) as client,
        ):
            results = await asyncio.gather(
                *(client.responses.create(model="gpt-5.5", input=f"n{i}") for i in range(8))
            )
            assert [r.output_text.endswith(f"n{i}") for i, r in enumerate(results)] == [True] * 8
            backend.reply(text="over the wire", deltas=["over ", "the ", "wire"])
            stream = await client.responses.create(model="gpt-5.5", input="x", stream=True)
            assert [delta async for delta in stream.text_deltas()] == ["over ", "the ", "wire"]
            assert async_pool(http)._busy == 0
