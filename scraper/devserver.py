"""Serve a captured copy of the portals over HTTP on loopback.

Used by the tests (a real server, as in Scrapy's own mock server) and by ``make demo``.
A portal folder holds one sub-folder per site, each with ``routes.json`` and ``pages/``;
``routes.json`` maps "path" or "path?query" to one of::

    {"file": "page.html"}     200 text/html; charset=utf-8
    {"text": "..."}           200 text/plain (robots.txt)
    {"redirect": "/other"}    301
    {"status": 503}           that status, empty body ("headers": {...} adds headers)
    {"gzip_bomb": N}          a small gzip-encoded body that inflates to N bytes

Faults for tests: ``"sleep": S`` waits before answering, ``"reset": true`` drops the
connection, ``{"file", "truncate": N}`` sends N bytes of a longer announced body,
``{"file", "content_type": "...", "pad": N}`` serves a page with another Content-Type,
N spaces longer.

Pages carry ``ETag`` and ``Last-Modified`` and answer conditional requests with 304, as a
well-behaved server would.

Anything else is a 404. ``python -m scraper.devserver DIR`` prints "SITE URL" per site.
"""

from __future__ import annotations

import hashlib
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LAST_MODIFIED = "Mon, 04 Mar 2024 08:00:00 GMT"


@dataclass
class SiteServer:
    name: str
    server: ThreadingHTTPServer
    routes: dict[str, dict[str, Any]]
    requests: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    user_agents: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site_dir: Path, site: SiteServer) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: with Nagle's algorithm on, each keep-alive
        # response waits for the client's delayed ACK (about 40 ms on Linux)
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                  headers: tuple[tuple[str, str], ...] = ()) -> None:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802
            with lock:
                site.requests.append(self.path)
                site.user_agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(self.path)
            if route is not None and route.get("sleep"):
                time.sleep(float(route["sleep"]))
            if route is not None and route.get("reset"):
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if route is None:
                self._send(404, b"<html><body><h1>404</h1></body></html>")
            elif "redirect" in route:
                self._send(301, headers=(("Location", route["redirect"]),))
            elif "status" in route:
                self._send(int(route["status"]), headers=tuple((route.get("headers") or {}).items()))
            elif "gzip_bomb" in route:  # a small gzip body that inflates to gzip_bomb bytes of zeros
                import gzip

                body = gzip.compress(b"\0" * int(route["gzip_bomb"]), compresslevel=9)
                self._send(200, body, headers=(("Content-Encoding", "gzip"),))
            elif "text" in route:
                self._send(200, route["text"].encode("utf-8"), "text/plain; charset=utf-8")
            elif "truncate" in route:  # announce the whole page, send only the first bytes
                body = (site_dir / "pages" / route["file"]).read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: int(route["truncate"])])
                self.wfile.flush()
                self.close_connection = True
            elif "content_type" in route:  # a page served with another (or no) charset declaration
                body = (site_dir / "pages" / route["file"]).read_bytes() + b" " * int(route.get("pad", 0))
                self._send(200, body, route["content_type"])
            else:
                body = (site_dir / "pages" / route["file"]).read_bytes()
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag or (
                    self.headers.get("If-Modified-Since") == LAST_MODIFIED and not self.headers.get("If-None-Match")
                ):
                    with lock:
                        site.not_modified.append(self.path)
                    self._send(304, headers=(("ETag", etag),))
                    return
                self._send(200, body, headers=(("ETag", etag), ("Last-Modified", LAST_MODIFIED)))

    return Handler


def start(portal: str | Path, host: str = "127.0.0.1") -> dict[str, SiteServer]:
    """Start one server per site folder on a free loopback port."""
    servers: dict[str, SiteServer] = {}
    for site_dir in sorted(p for p in Path(portal).iterdir() if (p / "routes.json").is_file()):
        routes = json.loads((site_dir / "routes.json").read_text(encoding="utf-8"))
        httpd = ThreadingHTTPServer((host, 0), BaseHTTPRequestHandler)
        site = SiteServer(site_dir.name, httpd, routes)
        httpd.RequestHandlerClass = _handler(site_dir, site)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers[site.name] = site
    return servers


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m scraper.devserver PORTAL_DIR", file=sys.stderr)
        return 2
    servers = start(args[0])
    for site in servers.values():
        print(f"{site.name} {site.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
