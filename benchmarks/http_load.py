"""A minimal keep-alive HTTP/1.1 client on asyncio streams: cheap enough that the load it makes
costs little CPU, and one connection per caller, so it has no pool of its own to be unfair."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any


def post(path: str, body: dict[str, Any], port: int, headers: dict[str, str]) -> bytes:
    data = json.dumps(body, separators=(",", ":")).encode()
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    head += ["Content-Type: application/json", f"Content-Length: {len(data)}", "", ""]
    return "\r\n".join(head).encode() + data


def get(path: str, port: int) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()


_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:\s*chunked", re.IGNORECASE)
_CLOSE = re.compile(rb"\r\nconnection:\s*close", re.IGNORECASE)


class Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> tuple[int, bytes, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        reader = self.reader
        self.writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        if _CHUNKED.search(head):
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                parts.append((await reader.readexactly(size + 2))[:-2])
            body = b"".join(parts)
        else:
            length = _LENGTH.search(head)
            body = await reader.readexactly(int(length.group(1))) if length else b""
        if _CLOSE.search(head):
            await self.close()
        return status, head, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def one_request(host: str, port: int, raw: bytes) -> tuple[int, bytes, bytes]:
    connection = Connection(host, port)
    try:
        return await asyncio.wait_for(connection.send(raw), 5)
    finally:
        await connection.close()
