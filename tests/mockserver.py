"""The tests' mock server: the demo's portal server plus injected faults (as in Scrapy's own mock server).

Route kinds beyond the demo server's (``scraper/demo/server.py``)::

    {"sleep": S, ...}         waits S seconds before answering
    {"reset": true}           drops the connection
    {"gzip_bomb": N}          a small gzip-encoded body that inflates to N bytes
    {"file", "truncate": N}   sends N bytes of a longer announced body
    {"file", "cut": N}        sends the first N bytes with no length announced, then closes
                              (the client cannot tell the end from a whole page's)
    {"file", "short_length": N}
                              announces N bytes and sends the whole page (the client reads N)
    {"file", "broken_chunks": N}
                              chunked: one chunk of the first N bytes, then closes with no last chunk
    {"file", "to_www": true}  asked under a name without "www.": a 301 to the same path on "www." of it
    {"file" or "data", "false_encoding": "gzip"}
                              the page (or those bytes) sent as they are, under a Content-Encoding they are not in
    {"data": HEX, "content_type": "..."}
                              those bytes (hex), with that Content-Type ("" sends none)
    {"file", "cookie_gate": true}
                              without the gate's cookie: a 302 to the same URL that sets it
    {"file", "cookie_gate": "/gate"}
                              without it: a 302 to /gate?next=PATH (route {"gate_back": PATH}),
                              which sets it and leads back
    {"file", "content_type": "...", "pad": N}
                              the page with another Content-Type, N spaces longer

``python -m tests.mockserver DIR`` prints "SITE URL" per site and serves until Ctrl-C.

``LoopbackResolver`` (``-s TWISTED_DNS_RESOLVER=tests.mockserver.LoopbackResolver`` on a crawl) resolves
``localhost`` and every ``*.localhost`` name to 127.0.0.1, so a test can serve "www." of a site.
"""

from __future__ import annotations

import gzip
import socket
import sys
import time
from pathlib import Path
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

from scraper.demo import server
from scraper.demo.server import LAST_MODIFIED, SiteServer

__all__ = ["LAST_MODIFIED", "FaultHandler", "LoopbackResolver", "SiteServer", "start"]


class LoopbackResolver(CachingThreadedResolver):
    """Scrapy's resolver, with ``localhost`` and ``*.localhost`` on 127.0.0.1 (as RFC 6761 lets a resolver do)."""

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:  # noqa: N802 (Twisted's name)
        if name == "localhost" or name.endswith(".localhost"):
            return defer.succeed("127.0.0.1")
        return super().getHostByName(name, timeout)


class FaultHandler(server.PortalHandler):
    def answer(self, route: dict[str, Any]) -> None:
        if route.get("sleep"):
            time.sleep(float(route["sleep"]))
        host = self.headers.get("Host") or ""
        if route.get("to_www") and not host.startswith("www."):
            self.send(301, headers=(("Location", f"http://www.{host}{self.path}"),))
            return
        gate = route.get("cookie_gate")
        if gate and "gate=passed" not in (self.headers.get("Cookie") or ""):
            if isinstance(gate, str):
                self.send(302, headers=(("Location", f"{gate}?next={self.path}"),))
            else:
                self.send(302, headers=(("Location", self.path), ("Set-Cookie", "gate=passed; Path=/; HttpOnly")))
        elif "gate_back" in route:
            self.send(302, headers=(("Location", route["gate_back"]), ("Set-Cookie", "gate=passed; Path=/")))
        elif route.get("reset"):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif "gzip_bomb" in route:  # a small gzip body that inflates to gzip_bomb bytes of zeros
            body = gzip.compress(b"\0" * int(route["gzip_bomb"]), compresslevel=9)
            self.send(200, body, headers=(("Content-Encoding", "gzip"),))
        elif "truncate" in route:  # announce the whole page, send only the first bytes
            body = self.page(route)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: int(route["truncate"])])
            self.wfile.flush()
            self.close_connection = True
        elif "cut" in route or "short_length" in route:
            body = self.page(route)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if "short_length" in route:
                self.send_header("Content-Length", str(route["short_length"]))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: int(route["cut"])] if "cut" in route else body)
            self.wfile.flush()
            self.close_connection = True
        elif "broken_chunks" in route:
            part = self.page(route)[: int(route["broken_chunks"])]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()
            self.close_connection = True
        elif route.get("false_encoding"):  # says gzip (or another coding) and sends the page as it is
            body = bytes.fromhex(route["data"]) if "data" in route else self.page(route)
            self.send(200, body, headers=(("Content-Encoding", str(route["false_encoding"])),))
        elif "data" in route:  # a file, an image, a download where a page was linked
            body = bytes.fromhex(route["data"])
            self.send_response(200)
            if route.get("content_type"):
                self.send_header("Content-Type", route["content_type"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif "content_type" in route:  # a page served with another (or no) charset declaration
            self.send(200, self.page(route) + b" " * int(route.get("pad", 0)), route["content_type"])
        else:
            super().answer(route)


def start(portal: str | Path, host: str = "127.0.0.1") -> dict[str, SiteServer]:
    """One fault-injecting server per site folder on a free loopback port."""
    return server.start(portal, host, handler=FaultHandler)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m tests.mockserver PORTAL_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(server.serve_forever(sys.argv[1], handler=FaultHandler))
