"""Page objects: pure reading of (url, html, site profile), never fetching.

:class:`~scraper.pages.digest.DigestPage` reads an article page field by field and
:func:`~scraper.pages.listing.parse_listing` a listing page; both try the site's template
versions first, then generic strategies, and say which strategy answered.
"""

from .digest import (
    CONTENT_WARNINGS,
    METHOD_FALLBACK,
    METHOD_GENERIC,
    METHOD_SITE,
    SCHEMA_VERSION,
    WARNING_CODES,
    DigestPage,
    Extraction,
    content_hash,
    parse_digest,
)
from .listing import ListingLink, ListingPage, parse_listing

__all__ = [
    "CONTENT_WARNINGS",
    "METHOD_FALLBACK",
    "METHOD_GENERIC",
    "METHOD_SITE",
    "SCHEMA_VERSION",
    "WARNING_CODES",
    "DigestPage",
    "Extraction",
    "ListingLink",
    "ListingPage",
    "content_hash",
    "parse_digest",
    "parse_listing",
]
