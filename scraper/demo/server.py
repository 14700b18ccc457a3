"""Serve a portal folder over HTTP on loopback: the demo's stand-in for the live portals.

A portal folder holds one sub-folder per site, each with ``routes.json`` and ``pages/``;
``routes.json`` maps "path" or "path?query" to one of::

    {"file": "page.html"}     200 text/html; charset=utf-8, with ETag and Last-Modified
    {"text": "..."}           200 text/plain (robots.txt)
    {"redirect": "/other"}    301
    {"status": 503}           that status, empty body ("headers": {...} adds headers)

Pages answer conditional requests with 304, as a well-behaved server would. Anything else
is a 404. The tests' mock server (``tests/mockserver.py``) adds injected faults on top.
``python -m scraper.demo.server DIR`` prints "SITE URL" per site and serves until Ctrl-C.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

LAST_MODIFIED = "Mon, 04 Mar 2024 08:00:00 GMT"


@dataclass
class SiteServer:
    name: str
    server: ThreadingHTTPServer
    routes: dict[str, dict[str, Any]]
    requests: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    user_agents: set[str] = field(default_factory=set)
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each request, as ``requests``

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class PortalHandler(BaseHTTPRequestHandler):
    """Answers from one site folder's ``routes.json``; subclasses add route kinds."""

    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: with Nagle's algorithm on, each keep-alive
    # response waits for the client's delayed ACK (about 40 ms on Linux)
    disable_nagle_algorithm = True
    site: ClassVar[SiteServer]
    site_dir: ClassVar[Path]
    lock: ClassVar[threading.Lock]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
             headers: tuple[tuple[str, str], ...] = ()) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def page(self, route: dict[str, Any]) -> bytes:
        return (self.site_dir / "pages" / route["file"]).read_bytes()

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        with self.lock:
            self.site.requests.append(self.path)
            self.site.arrivals.append(time.monotonic())
            self.site.user_agents.add(self.headers.get("User-Agent", ""))
        route = self.site.routes.get(self.path)
        if route is None:
            self.send(404, b"<html><body><h1>404</h1></body></html>")
        else:
            self.answer(route)

    def answer(self, route: dict[str, Any]) -> None:
        if "redirect" in route:
            self.send(301, headers=(("Location", route["redirect"]),))
        elif "status" in route:
            self.send(int(route["status"]), headers=tuple((route.get("headers") or {}).items()))
        elif "text" in route:
            self.send(200, route["text"].encode("utf-8"), "text/plain; charset=utf-8")
        else:
            body = self.page(route)
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag or (
                self.headers.get("If-Modified-Since") == LAST_MODIFIED and not self.headers.get("If-None-Match")
            ):
                with self.lock:
                    self.site.not_modified.append(self.path)
                self.send(304, headers=(("ETag", etag),))
                return
            self.send(200, body, headers=(("ETag", etag), ("Last-Modified", LAST_MODIFIED)))


def start(
    portal: str | Path, host: str = "127.0.0.1", handler: type[PortalHandler] = PortalHandler
) -> dict[str, SiteServer]:
    """Start one server per site folder on a free loopback port."""
    servers: dict[str, SiteServer] = {}
    for site_dir in sorted(p for p in Path(portal).iterdir() if (p / "routes.json").is_file()):
        routes = json.loads((site_dir / "routes.json").read_text(encoding="utf-8"))
        httpd = ThreadingHTTPServer((host, 0), BaseHTTPRequestHandler)
        site = SiteServer(site_dir.name, httpd, routes)
        attributes = {"site": site, "site_dir": site_dir, "lock": threading.Lock()}
        httpd.RequestHandlerClass = type(f"{handler.__name__}For{site.name.title()}", (handler,), attributes)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers[site.name] = site
    return servers


def serve_forever(portal: str | Path, handler: type[PortalHandler] = PortalHandler) -> int:
    """Print "SITE URL" per site, then serve until interrupted."""
    if not Path(portal).is_dir():
        print(f"no portal folder at {portal}", file=sys.stderr)
        return 2
    servers = start(portal, handler=handler)
    for site in servers.values():
        print(f"{site.name} {site.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m scraper.demo.server PORTAL_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(serve_forever(sys.argv[1]))
