"""The index across documents: extracted JSON -> an SQLite database (``vbextract index``),
queried by unit, role, deadline, cited document, province, issuer, type and free text
(``vbextract search``), browsed in Datasette (``vbextract serve``).

* ``db.py``: the schema (versioned, migrated with ``PRAGMA user_version``), the folded
  shadow text the full-text index searches without diacritics, the SQL functions.
* ``load.py``: one document's rows, replaced in one transaction when its JSON changed.
* ``search.py``: the filters (``Query``), the SQL they build, the hits.
* ``web.py``: Datasette's metadata (facets, canned queries) and the review page route.
"""

from .db import SCHEMA_VERSION, connect
from .load import IndexReport, index_paths
from .search import Hit, Query, search

__all__ = ["SCHEMA_VERSION", "connect", "index_paths", "IndexReport", "Query", "Hit", "search"]
