"""The content hash: a digest of what a page says, so a changed digest is told from a refetched one."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def content_hash(record: dict[str, Any]) -> str:
    """A digest of what the page says (not of when or where it was fetched)."""
    payload = {k: record.get(k) for k in ("title", "published_at", "summary", "text")}
    # the sections as published: what is read out of them (directives) is not what the page says
    payload["sections"] = [{"heading": s.get("heading"), "text": s.get("text")} for s in record.get("sections") or []]
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()
