"""langson-archive: archive the Lạng Sơn People's Committee weekly digests.

The packages, lowest layer first (each imports only those above it in this list):

- ``sites``: the two portals as data (profiles, template versions)
- ``pages``: page objects, pure functions of (url, html, profile) → record or links
- ``archive``: the files on disk (partitions, manifest, captures, state, atomic writes)
- ``records``: the record schema, the one way to prepare a record, ``reparse``
- ``crawl``: Scrapy (spiders, middlewares, the WARC writer, the run lifecycle)
- ``cli``: the ``langson-archive`` command line, one module per command
- ``demo``: ``python -m scraper.demo``, with its bundled portal and loopback server
"""

__version__ = "0.1.0"  # the package's one version number (pyproject.toml reads it)
PARSE_TIMEOUT = 60.0  # seconds a parser worker may spend on one page (~2 ms is usual): crawl's and reparse's
SCHEMA_VERSION = "1.2"  # of the records (records/record.schema.json); a change in a field's meaning bumps it
