"""``X-Kiosk-Server-Time`` on every answer (docs/protocol.md): a terminal learns its clock's skew even from a 401."""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.protocol import HEADER_SERVER_TIME


class ServerTime:
    """ASGI middleware adding the server's time to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_time(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(HEADER_SERVER_TIME, f"{time.time():.3f}")
            await send(message)

        await self.app(scope, receive, send_with_time)
