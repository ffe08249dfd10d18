"""One HTTP request through a Sanic app's ASGI interface: no server, no socket (channel tests)."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, NamedTuple, Sequence, Tuple

from sanic import Sanic

Headers = Sequence[Tuple[str, str]]


class Answer(NamedTuple):
    status: int
    headers: Dict[str, List[str]]  # lower-case name -> every value sent
    body: bytes


def asgi(app: Sanic, method: str, path: str, body: bytes = b"", headers: Headers = (),
         host: str = "127.0.0.1:5005", client: str = "127.0.0.1") -> Answer:
    """One request through the app's ASGI interface, from `client`."""
    async def run() -> Answer:
        sent: List[Dict[str, Any]] = []
        if not app.router.finalized:  # ASGI start-up, once: it finalises the routes
            lifespan: asyncio.Queue = asyncio.Queue()
            await lifespan.put({"type": "lifespan.startup"})
            started = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}},
                                                lifespan.get, lambda message: asyncio.sleep(0)))
            while not app.router.finalized:
                await asyncio.sleep(0.01)
            started.cancel()

        async def receive() -> Dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        path_only, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path_only, "raw_path": path_only.encode(),
                 "query_string": query.encode(), "root_path": "",
                 "headers": [(b"host", host.encode())] + [(k.encode(), v.encode()) for k, v in headers],
                 "server": ("127.0.0.1", 5005), "client": (client, 1)}
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        found: Dict[str, List[str]] = {}
        for name, value in start["headers"]:
            found.setdefault(name.decode().lower(), []).append(value.decode())
        return Answer(start["status"], found,
                      b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))

    return asyncio.run(run())
