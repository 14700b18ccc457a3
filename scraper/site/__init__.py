"""A static, offline-browsable site of the archive (``langson-archive site --out DIR``).

``index.html`` lists every week by year, with weeks that have no digest marked; one page per
digest (lead, directives with their agencies, deadlines and documents, links to the live page
and to its capture); one page per cited document with every digest citing it; three plots as
SVG (digests per month with the gaps, directives per agency over the years, cited document
kinds per year) drawn with matplotlib; and a search box that works from ``file://``: the
index is a script (``search-index.js``), folded as the command line's search folds.
"""

from scraper.site.build import build_site

__all__ = ["build_site"]
