"""Every route's wrapper: the access check first, and any exception as OpenAI's error JSON."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chatgpt_sdk.server._body import BODY_DONE, ClientGone
from chatgpt_sdk.server._errors import to_error

__all__ = ["Handler", "endpoint"]

Handler = Callable[[Request], Awaitable[Response]]
logger = logging.getLogger("chatgpt_sdk.server")


def endpoint(handler: Handler, check: Callable[[Request], None] | None = None) -> Handler:
    """``check`` (the access check) first, then the handler; any exception becomes OpenAI's
    error JSON, and a client that went away gets no answer (499)."""

    async def wrapped(request: Request) -> Response:
        try:
            if check is not None:
                check(request)
            return await handler(request)
        except ClientGone:
            return Response(status_code=499)  # nobody is left to read it
        except Exception as exc:
            return _error_response(exc, request)

    return wrapped


def _error_response(exc: BaseException, request: Request) -> Response:
    reply = to_error(exc)
    if reply.status >= 500 or reply.status in (401, 429):
        logger.warning("answering %d: %s", reply.status, reply.message)
    headers = dict(reply.headers)
    if _body_unread(request):
        # Answered before the body was read (413, 415, 401, ...): close rather than read and
        # discard whatever the client still sends.
        headers["connection"] = "close"
    return JSONResponse(reply.body(), reply.status, headers=headers)


def _body_unread(request: Request) -> bool:
    if request.scope.get(BODY_DONE) or request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    headers = request.headers
    return headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
