"""Reading a request body: the size limit, content encodings, the read deadline and JSON.

The limit is checked against ``Content-Length`` before anything is read, then counted on the
wire and again after decoding while the body streams in, so neither a large body nor a
decompression bomb is ever held in memory past ``max_body_size`` (plus one decoding step).
Large bodies are parsed on a worker thread so one request cannot stall every other client, and
nesting deeper than ``max_depth`` is refused by a cheap scan of the raw bytes before parsing.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import IO, Any, Protocol, cast

from starlette.requests import ClientDisconnect, Request

from chatgpt_sdk.server._errors import ProxyError

__all__ = [
    "BODY_DONE",
    "BodyLimits",
    "ClientGone",
    "decoder_for",
    "nesting_depth",
    "parse_json_object",
    "read_json_object",
    "supported_encodings",
]

BODY_DONE = "chatgpt_sdk.body_done"
"""Set in the ASGI scope once the whole request body has been received."""

_STEP = 256 * 1024  # the most one decoding step may produce before the limit is checked again
_JSON_TYPES = frozenset({"application/json"})
_BRACKETS = b"[]{}"
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_DEPTH_STEP = [0] * 256
for _byte in b"[{":
    _DEPTH_STEP[_byte] = 1
for _byte in b"]}":
    _DEPTH_STEP[_byte] = -1


class ClientGone(Exception):
    """The client closed the connection; nobody is left to answer."""


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class BodyLimits:
    max_size: int
    """Bytes, on the wire and after decoding."""
    timeout: float | None
    """Seconds from the first read until the whole body is in; None: no deadline."""
    require_json_type: bool
    """Refuse a body whose Content-Type is not application/json (415)."""
    max_depth: int = 64
    thread_threshold: int = 256 * 1024
    """Bodies larger than this are decoded and parsed on a worker thread."""


# --- content encodings ---------------------------------------------------------------------


class Decoder(Protocol):
    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        """Decode ``data`` into ``out``; raise ``_TooLarge`` once ``out`` exceeds ``limit``."""

    def finish(self) -> None:
        """The input is complete: refuse a truncated stream (every byte was already decoded)."""


def _check(out: bytearray, limit: int) -> None:
    if len(out) > limit:
        raise _TooLarge


def _truncated(name: str) -> ProxyError:
    return ProxyError(
        400,
        f"The request body is not valid {name} data (Content-Encoding: {name}): it is truncated.",
        code="invalid_content_encoding",
    )


def _corrupt(name: str, exc: Exception) -> ProxyError:
    return ProxyError(
        400,
        f"The request body is not valid {name} data (Content-Encoding: {name}): {exc}",
        code="invalid_content_encoding",
    )


class _Zlib:
    """gzip (concatenated members too) and deflate (zlib-wrapped, or raw as some clients send)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._d: Any = zlib.decompressobj(16 + zlib.MAX_WBITS) if name == "gzip" else None
        self._head = b""

    def _start(self, data: bytes) -> bytes:
        if self._d is not None:
            return data
        data = self._head + data
        if len(data) < 2:
            self._head = data
            return b""
        wrapped = (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
        self._d = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        self._head = b""
        return data

    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        data = self._start(data)
        if self._d is None:
            return
        try:
            while True:
                piece = self._d.decompress(data, _STEP)
                out += piece
                _check(out, limit)
                data = self._d.unconsumed_tail
                if self._d.eof:
                    rest = self._d.unused_data
                    if not rest:
                        return
                    if self.name != "gzip":
                        raise _corrupt(self.name, ValueError("data after the end of the stream"))
                    self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the next gzip member
                    data = rest
                elif not data and len(piece) < _STEP:
                    return
        except zlib.error as exc:
            raise _corrupt(self.name, exc) from None

    def finish(self) -> None:
        if self._d is None:
            if self._head:
                raise _truncated(self.name)
            return  # an empty body
        if not self._d.eof:
            raise _truncated(self.name)


class _Brotli:
    name = "br"

    def __init__(self) -> None:
        brotli: Any = importlib.import_module("brotli")  # optional; no type information
        self._error: type[Exception] = brotli.error
        self._d = brotli.Decompressor()

    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        try:
            out += self._d.process(data, output_buffer_limit=_STEP)
            _check(out, limit)
            while not self._d.can_accept_more_data():
                out += self._d.process(b"", output_buffer_limit=_STEP)
                _check(out, limit)
        except self._error as exc:
            raise _corrupt(self.name, exc) from None

    def finish(self) -> None:
        if not self._d.is_finished():
            raise _truncated(self.name)


class _Sink:
    """zstandard's stream writer hands each decoded piece (at most ``_STEP``) to ``write``."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.limit = 0
        self.produced = 0

    def write(self, data: bytes) -> int:
        self.out += data
        self.produced += len(data)
        _check(self.out, self.limit)
        return len(data)


class _Zstd:
    name = "zstd"

    def __init__(self) -> None:
        import zstandard

        self._error: type[Exception] = zstandard.ZstdError
        self._sink = _Sink()
        self._writer = zstandard.ZstdDecompressor().stream_writer(
            cast(IO[bytes], self._sink), write_size=_STEP
        )
        self._seen = False

    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        self._seen = self._seen or bool(data)
        self._sink.out = out
        self._sink.limit = limit
        try:
            self._writer.write(data)
        except self._error as exc:
            raise _corrupt(self.name, exc) from None

    def finish(self) -> None:
        # The stream writer cannot tell a truncated frame; a cut body then fails as JSON.
        if self._seen and not self._sink.produced:
            raise _truncated(self.name)


class _Chain:
    """``Content-Encoding: a, b`` was applied a then b: decode b, then a."""

    def __init__(self, decoders: list[Decoder]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        for decoder in self._decoders[:-1]:
            step = bytearray()
            decoder.feed(data, step, limit)
            data = bytes(step)
        self._decoders[-1].feed(data, out, limit)

    def finish(self) -> None:
        for decoder in self._decoders:
            decoder.finish()


@functools.cache
def _brotli_available() -> bool:
    try:
        brotli: Any = importlib.import_module("brotli")
    except ImportError:
        return False
    return hasattr(brotli.Decompressor, "can_accept_more_data")  # brotli >= 1.2


_FACTORIES: dict[str, Callable[[], Decoder]] = {
    "gzip": lambda: _Zlib("gzip"),
    "x-gzip": lambda: _Zlib("gzip"),
    "deflate": lambda: _Zlib("deflate"),
    "zstd": _Zstd,
    "br": _Brotli,
}


def supported_encodings() -> list[str]:
    """The request Content-Encodings this proxy decodes (``br`` needs ``brotli>=1.2``)."""
    return [
        name for name in ("gzip", "deflate", "zstd", "br") if name != "br" or _brotli_available()
    ]


def decoder_for(header: str | None) -> Decoder | None:
    """The decoder for a ``Content-Encoding`` header, None for identity; 415 when unknown."""
    if not header:
        return None
    names = [n.strip().lower() for n in header.split(",")]
    names = [n for n in names if n and n != "identity"]
    if not names:
        return None
    decoders: list[Decoder] = []
    for name in reversed(names):  # applied in the listed order, so undone in reverse
        factory = _FACTORIES.get(name)
        if factory is None or (name == "br" and not _brotli_available()):
            hint = " (install brotli>=1.2 for br)" if name == "br" else ""
            raise ProxyError(
                415,
                f"Unsupported Content-Encoding {name!r}{hint}: this proxy decodes "
                f"{', '.join(supported_encodings())} or an unencoded body.",
                code="unsupported_content_encoding",
            )
        decoders.append(factory())
    return decoders[0] if len(decoders) == 1 else _Chain(decoders)


# --- JSON ----------------------------------------------------------------------------------


def nesting_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in the JSON text ``raw``, without parsing it.

    Escapes are removed (a run of backslashes pairs up from its left end, as JSON reads it),
    then strings (between the remaining quotes), then everything but brackets; what is left is
    summed as +1/-1 in C. Invalid JSON gives some number; the parser reports it afterwards.
    """
    stripped = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    outside = b"".join(stripped.split(b'"')[::2])
    return max(accumulate(map(_DEPTH_STEP.__getitem__, outside)), default=0)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(raw: bytes, max_depth: int) -> dict[str, Any]:
    """``raw`` as a JSON object, or a 400 naming what is wrong; pure, safe on any thread."""
    if not raw.strip():
        raise ProxyError(400, "The request body is empty; send a JSON object.")
    if raw.count(b"[") + raw.count(b"{") > max_depth and nesting_depth(raw) > max_depth:
        raise ProxyError(
            400,
            f"The request body nests arrays and objects more than {max_depth} levels deep.",
            code="nesting_too_deep",
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise ProxyError(400, f"The request body is not valid UTF-8 JSON: {exc}") from None
    except RecursionError:
        raise ProxyError(
            400, "The request body nests too deeply.", code="nesting_too_deep"
        ) from None
    except ValueError as exc:
        raise ProxyError(400, f"The request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ProxyError(400, "The request body must be a JSON object.")
    return data


# --- reading -------------------------------------------------------------------------------


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _too_large(limits: BodyLimits) -> ProxyError:
    return ProxyError(
        413,
        f"The request body is larger than this proxy accepts ({limits.max_size} bytes, "
        "counted after decoding any Content-Encoding; the max_body_size setting).",
        code="request_too_large",
    )


def _check_headers(request: Request, limits: BodyLimits) -> Decoder | None:
    if limits.require_json_type:
        media = _media_type(request.headers.get("content-type"))
        if media not in _JSON_TYPES:
            raise ProxyError(
                415,
                f"Send the body as 'Content-Type: application/json' (got {media or 'none'!r}). "
                "Without an API key this proxy answers only requests a web page cannot forge.",
                code="unsupported_media_type",
            )
    length = request.headers.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise ProxyError(400, f"Invalid Content-Length: {length!r}")
        if int(length) > limits.max_size:
            raise _too_large(limits)
    return decoder_for(request.headers.get("content-encoding"))


async def _receive(request: Request, limits: BodyLimits, decoder: Decoder | None) -> bytes:
    wire = 0
    out = bytearray()
    try:
        async for chunk in request.stream():
            wire += len(chunk)
            if wire > limits.max_size:
                raise _too_large(limits)
            if decoder is None:
                out += chunk
                _check(out, limits.max_size)
            elif chunk:
                decoder.feed(chunk, out, limits.max_size)
        request.scope[BODY_DONE] = True
        if decoder is not None:
            decoder.finish()
    except _TooLarge:
        raise _too_large(limits) from None
    except ClientDisconnect:
        raise ClientGone from None
    return bytes(out)


async def _with_deadline(request: Request, limits: BodyLimits, decoder: Decoder | None) -> bytes:
    """``_receive`` within ``limits.timeout``: one timer for the whole body, not one per chunk."""
    if limits.timeout is None or request.scope.get(BODY_DONE):
        return await _receive(request, limits, decoder)
    task = asyncio.current_task()
    assert task is not None
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        task.cancel()

    timer = asyncio.get_running_loop().call_later(limits.timeout, expire)
    try:
        return await _receive(request, limits, decoder)
    except asyncio.CancelledError:
        if not expired:
            raise
        uncancel = getattr(task, "uncancel", None)
        if uncancel is not None:
            uncancel()
        raise ProxyError(
            408,
            f"The request body did not arrive within {limits.timeout:g} seconds "
            "(the body_timeout setting).",
            code="request_timeout",
        ) from None
    finally:
        timer.cancel()


async def read_json_object(request: Request, limits: BodyLimits) -> tuple[dict[str, Any], bool]:
    """The request body as a JSON object, within ``limits``; ProxyError (4xx) otherwise.

    The flag says the body was large (past ``limits.thread_threshold``): more work on it
    belongs on a worker thread too.
    """
    decoder = _check_headers(request, limits)
    raw = await _with_deadline(request, limits, decoder)
    if len(raw) > limits.thread_threshold:
        return await asyncio.to_thread(parse_json_object, raw, limits.max_depth), True
    return parse_json_object(raw, limits.max_depth), False
