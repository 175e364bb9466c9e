"""What a failed exchange means, as the SDK's typed errors: a transport failure, a 2xx that is
not an event stream, a stream cut while reading, how long a failure asks to wait, and the model
catalog's body. Pure functions, shared by both clients and the transports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from chatgpt_sdk import errors
from chatgpt_sdk._transport import failure_delay, retry_after_seconds

if TYPE_CHECKING:
    from chatgpt_sdk.models.catalog import Model
    from chatgpt_sdk.streaming import StreamState

__all__ = [
    "catalog_models",
    "not_a_stream",
    "retry_hint",
    "stream_read_error",
    "transport_error",
]


def transport_error(exc: httpx.HTTPError) -> errors.APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(f"request timed out: {type(exc).__name__}")
    if isinstance(exc, httpx.DecodingError):
        return errors.APIConnectionError(f"could not decode the backend's reply: {exc}")
    return errors.APIConnectionError(f"could not reach the backend: {exc!r}")


def not_a_stream(response: httpx.Response, content: bytes) -> errors.StreamError:
    """A 2xx that is not an event stream (a proxy's page, say), as a clear StreamError."""
    kind = response.headers.get("content-type", "no content type")
    snippet = content[:200].decode("utf-8", "replace")
    return errors.StreamError(f"expected an event stream from the backend, got {kind}: {snippet!r}")


def stream_read_error(state: StreamState, exc: httpx.HTTPError) -> errors.StreamError:
    if isinstance(exc, httpx.ReadTimeout):
        return state.stream_error("no stream event within the idle timeout; stream dropped")
    if isinstance(exc, httpx.DecodingError):
        return state.stream_error(f"the stream's body could not be decoded: {exc}")
    return state.stream_error(f"stream dropped: {type(exc).__name__}: {exc}")


def retry_hint(error: Exception) -> float | None:
    if isinstance(error, errors.ResponseFailedError):
        return failure_delay(error.message)
    if isinstance(error, errors.APIStatusError) and error.response is not None:
        return retry_after_seconds(error.response.headers)
    return None


def catalog_models(response: httpx.Response, content: bytes) -> list[Model]:
    from pydantic import ValidationError

    from chatgpt_sdk.models.catalog import ModelCatalog

    try:
        return ModelCatalog.model_validate_json(content).models
    except ValidationError as exc:
        raise errors.APIResponseValidationError(
            f"the model catalog (GET /models) is not a catalog: {exc.errors()[0]['msg']}",
            status_code=response.status_code,
            body=content[:500].decode("utf-8", "replace"),
            response=response,
        ) from None
