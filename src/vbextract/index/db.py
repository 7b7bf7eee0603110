"""The index database: schema, migrations, the folded text and the SQL functions.

The schema is plain DDL below (one script per version, applied in order; the version is
SQLite's ``PRAGMA user_version``), written by hand rather than by sqlite-utils' table
creation because the foreign keys, CHECK constraints, indexes and the view are the point
of it and read best as SQL.  Rows are inserted with sqlite-utils (``load.py``).

Full-text search: FTS5's ``unicode61`` tokenizer can drop combining marks but it does not
fold đ/Đ (a letter of its own, not d plus a mark), so "dong nai" would never find "Đồng
Nai".  Each FTS table therefore has the text as written (``remove_diacritics 0``: an exact
hit is told apart) and a ``folded`` shadow column holding ``normalize.fold`` of the same
text (no marks, đ -> d, lower case).  A query is run against both; exact hits rank first
(``search.py``), and the tables' default rank weighs the exact columns over the shadow, so
Datasette's own search box ranks the same way.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from .. import errors
from ..extract.unit_mentions import canonical_name
from ..gazetteer import gazetteer
from ..normalize import fold
from .backend import Backend, PostgresBackend, SqliteBackend

# v1: the first schema.  A new version appends a script (ALTER TABLE ..., new tables,
# a rebuilt view) and never edits an old one; ``migrate`` runs the missing ones in order.
_V1 = """
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,            -- the JSON file's name without .json: what a re-index replaces
  content_sha256 TEXT NOT NULL,        -- of the JSON file: unchanged -> nothing to do
  file_name TEXT NOT NULL,
  file_sha256 TEXT,
  format TEXT,
  pages INTEGER,
  ocr INTEGER,
  doc_type TEXT,
  doc_type_name TEXT,
  number TEXT,
  symbol TEXT,
  symbol_key TEXT,
  issuer TEXT,
  issuer_unit_id TEXT,
  issuer_folded TEXT,
  parent_issuer TEXT,
  province TEXT,
  province_folded TEXT,
  place TEXT,
  date TEXT,
  date_text TEXT,
  title TEXT,
  signer TEXT,
  signer_position TEXT,
  signer_authority TEXT,
  n_tasks INTEGER NOT NULL,
  n_legal_refs INTEGER NOT NULL,
  n_targets INTEGER NOT NULL,
  n_warnings INTEGER NOT NULL,
  review TEXT NOT NULL                 -- the review page in `vbextract serve`
);
CREATE INDEX documents_province ON documents(province_folded);
CREATE INDEX documents_type ON documents(doc_type);
CREATE INDEX documents_issuer ON documents(issuer_unit_id);

-- the document's JSON without its blocks: what the review page renders
CREATE TABLE document_json (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  json TEXT NOT NULL
);

-- the gazetteer's bodies (and any unit_id a document names that the gazetteer lost since)
CREATE TABLE units (
  unit_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT,
  level TEXT,
  code TEXT,
  valid_from TEXT,
  valid_to TEXT,
  successor_id TEXT REFERENCES units(unit_id),   -- the body that took over (end of the chain)
  successor TEXT
);
CREATE TABLE unit_aliases (
  unit_id TEXT NOT NULL REFERENCES units(unit_id),
  alias TEXT NOT NULL,
  folded TEXT NOT NULL,
  PRIMARY KEY (unit_id, alias)
);
CREATE INDEX unit_aliases_folded ON unit_aliases(folded);

CREATE TABLE sections (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  section_id TEXT NOT NULL,
  parent_section_id TEXT,
  number TEXT,
  heading TEXT,
  level INTEGER,
  page INTEGER,
  start INTEGER,
  "end" INTEGER
);
CREATE INDEX sections_document ON sections(document_id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  task_id TEXT NOT NULL,               -- "T12", as in the JSON
  position INTEGER NOT NULL,
  path TEXT,
  group_name TEXT,
  content TEXT NOT NULL,
  outputs TEXT,
  budget TEXT,
  origin TEXT,
  rule TEXT,
  lead TEXT,                           -- canonical names, "; "-joined, for reading
  support TEXT,
  deadline_text TEXT,                  -- the task's own deadline (per-actor ones in deadlines)
  deadline_kind TEXT,
  deadline_start TEXT,
  deadline_end TEXT,
  deadline_month TEXT,                 -- YYYY-MM of deadline_end: a facet
  rrule TEXT,
  province TEXT,                       -- the document's, copied for facets
  doc_type TEXT,
  page INTEGER,
  start INTEGER,
  "end" INTEGER,
  tbl INTEGER,
  row INTEGER,
  col INTEGER,
  review TEXT NOT NULL,                -- link to the task on its document's review page
  UNIQUE (document_id, task_id)
);
CREATE INDEX tasks_deadline_end ON tasks(deadline_end);

CREATE TABLE task_units (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('lead', 'support')),
  position INTEGER NOT NULL,
  text TEXT,
  unit_id TEXT REFERENCES units(unit_id),
  name TEXT NOT NULL,
  name_folded TEXT NOT NULL,
  collective INTEGER NOT NULL,
  successor_id TEXT REFERENCES units(unit_id),
  successor TEXT,
  start INTEGER,
  "end" INTEGER
);
CREATE INDEX task_units_unit ON task_units(unit_id, role);
CREATE INDEX task_units_successor ON task_units(successor_id, role);
CREATE INDEX task_units_folded ON task_units(name_folded);
CREATE INDEX task_units_task ON task_units(task_id);
CREATE INDEX task_units_document ON task_units(document_id);

-- every deadline: the task's own (actor null) and the per-actor ones
CREATE TABLE deadlines (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  actor TEXT,
  actor_unit_id TEXT,
  text TEXT NOT NULL,
  kind TEXT NOT NULL,
  start TEXT,
  "end" TEXT,
  month TEXT,
  rrule TEXT
);
CREATE INDEX deadlines_end ON deadlines("end", kind);
CREATE INDEX deadlines_task ON deadlines(task_id);
CREATE INDEX deadlines_document ON deadlines(document_id);

CREATE TABLE legal_refs (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ref_id TEXT NOT NULL,
  doc_type TEXT,
  doc_type_name TEXT,
  number TEXT,
  year INTEGER,
  symbol TEXT,
  symbol_key TEXT,                     -- folded, no spaces: "59/2012/nd-cp"
  issuer_code TEXT,
  issuer TEXT,
  issuer_unit_id TEXT,
  date TEXT,
  date_text TEXT,
  title TEXT,
  text TEXT,
  relations TEXT,                      -- "implements", "amends", ... comma-joined
  implements INTEGER NOT NULL,         -- the document carries this one out
  UNIQUE (document_id, ref_id)
);
CREATE INDEX legal_refs_symbol ON legal_refs(symbol_key);
CREATE INDEX legal_refs_document ON legal_refs(document_id);

CREATE TABLE legal_mentions (
  id INTEGER PRIMARY KEY,
  legal_ref_id INTEGER NOT NULL REFERENCES legal_refs(id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page INTEGER,
  start INTEGER,
  "end" INTEGER
);
CREATE INDEX legal_mentions_ref ON legal_mentions(legal_ref_id);
CREATE INDEX legal_mentions_document ON legal_mentions(document_id);

-- a task cites a document in its own text, or carries out one its plan implements
CREATE TABLE task_legal_refs (
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  legal_ref_id INTEGER NOT NULL REFERENCES legal_refs(id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  how TEXT NOT NULL CHECK (how IN ('cites', 'implements')),
  PRIMARY KEY (task_id, legal_ref_id, how)
);
CREATE INDEX task_legal_refs_ref ON task_legal_refs(legal_ref_id);
CREATE INDEX task_legal_refs_document ON task_legal_refs(document_id);

CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  subject TEXT,
  comparator TEXT,
  value REAL,
  value_max REAL,
  unit TEXT,
  year INTEGER,
  baseline_value REAL,
  baseline_year INTEGER,
  owner TEXT,
  owner_unit_id TEXT,
  page INTEGER,
  start INTEGER,
  "end" INTEGER
);
CREATE INDEX targets_document ON targets(document_id);

CREATE TABLE document_units (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  unit_id TEXT REFERENCES units(unit_id),
  name TEXT NOT NULL,
  aliases TEXT,                        -- the spellings used, "; "-joined
  lead INTEGER NOT NULL,
  support INTEGER NOT NULL,
  recipient INTEGER NOT NULL,
  successor TEXT
);
CREATE INDEX document_units_document ON document_units(document_id);

CREATE TABLE warnings (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  page INTEGER,
  start INTEGER,
  "end" INTEGER
);
CREATE INDEX warnings_document ON warnings(document_id);

-- one row per (task, unit, role): the page to facet by unit, role, province, month, type, kind
CREATE VIEW obligations AS
SELECT tu.id AS id, d.id AS document_id, d.symbol, d.province, d.doc_type, t.task_id, t.content,
       tu.role, tu.name AS unit, tu.unit_id, tu.successor, t.deadline_text, t.deadline_kind,
       t.deadline_end, t.deadline_month, t.review
FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN documents d ON d.id = tu.document_id;
"""

_V1_SQLITE = """
-- rowid = tasks.id / documents.id; kept in step by load.py in the same transaction
CREATE VIRTUAL TABLE tasks_fts USING fts5(
  content, group_name, title, units, folded, tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO tasks_fts(tasks_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 6.0, 1.0)');
CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, symbol, issuer, folded, tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO documents_fts(documents_fts, rank) VALUES ('rank', 'bm25(10.0, 10.0, 4.0, 1.0)');

"""

# PostgreSQL: the same tables (ids as identities, REAL as double precision) and its own
# full-text table (backend.py)
_V1_PG = (
    re.sub(r"(?m)^  id INTEGER PRIMARY KEY", "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", _V1)
    .replace("INTEGER", "BIGINT")
    .replace(" REAL", " DOUBLE PRECISION")
    + """
CREATE TABLE task_search (
  task_id BIGINT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  exact tsvector NOT NULL,
  folded tsvector NOT NULL
);
CREATE INDEX task_search_exact ON task_search USING gin (exact);
CREATE INDEX task_search_folded ON task_search USING gin (folded);
"""
)

MIGRATIONS: list[str] = [_V1 + _V1_SQLITE]
PG_MIGRATIONS: list[str] = [_V1_PG]
assert len(MIGRATIONS) == len(PG_MIGRATIONS)
SCHEMA_VERSION = len(MIGRATIONS)

Db = Union[str, Path]


class IndexError_(errors.VbeError):
    """The database cannot be used: newer schema, not an index, not writable."""

    code = "E000"
    exit_code = 1


def symbol_key(symbol: Optional[str]) -> Optional[str]:
    """A cited symbol as compared: folded, no spaces ("59/2012/NĐ-CP" -> "59/2012/nd-cp")."""
    if not symbol:
        return None
    return re.sub(r"\s+", "", fold(symbol))


@lru_cache(maxsize=4096)
def unit_of(name: Optional[str]) -> Optional[str]:
    """The gazetteer id of a unit as a user types it (name, alias, abbreviation,
    with or without diacritics), or None: the matcher extraction itself uses."""
    if not name or not name.strip():
        return None
    return gazetteer().match(canonical_name(name.strip())).unit_id


def fold_or_none(s: Optional[str]) -> Optional[str]:
    return fold(s) if s else None


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the canned queries use: vbe_fold(text), vbe_unit(text), vbe_symbol(text)."""
    conn.create_function("vbe_fold", 1, fold_or_none, deterministic=True)
    conn.create_function("vbe_unit", 1, unit_of, deterministic=True)
    conn.create_function("vbe_symbol", 1, symbol_key, deterministic=True)


def migrate(conn: sqlite3.Connection, name: str) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise IndexError_(name, f"index schema version {version} is newer than this vbextract's ({SCHEMA_VERSION})")
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise IndexError_(name, "not a vbextract index (an SQLite database with other tables)")
    for v in range(version, SCHEMA_VERSION):
        conn.executescript("BEGIN;" + MIGRATIONS[v] + f"; PRAGMA user_version = {v + 1}; COMMIT;")


def is_postgres(target: Db) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def connect(target: Db, create: bool = True) -> Backend:
    """Open (and create or migrate) the index: an SQLite file, or a PostgreSQL URL."""
    if is_postgres(target):
        return connect_postgres(str(target))
    p = Path(target)
    if not create and not p.exists():
        raise errors.NotFound(str(p), "no such index (make one with `vbextract index`)")
    try:
        conn = sqlite3.connect(p, isolation_level=None)  # transactions are explicit (load.py)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        register_functions(conn)
        migrate(conn, str(p))
    except sqlite3.OperationalError as e:  # a folder that does not exist, no permission, a lock
        raise IndexError_(str(p), f"cannot open ({e})") from e
    except sqlite3.DatabaseError as e:
        raise IndexError_(str(p), f"not an SQLite database ({e})") from e
    return SqliteBackend(conn, str(p))


def _display(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def connect_postgres(url: str) -> Backend:
    try:
        import psycopg
    except ImportError as e:
        raise IndexError_(_display(url), "PostgreSQL needs psycopg: pip install 'vbextract[postgres]'") from e
    try:
        conn = psycopg.connect(url, autocommit=True)
    except psycopg.Error as e:
        raise IndexError_(_display(url), f"cannot connect ({str(e).strip().splitlines()[0]})") from e
    conn.execute("SET client_min_messages = warning")
    # the version lives in a table of its own (PostgreSQL has no user_version)
    conn.execute("CREATE TABLE IF NOT EXISTS vbextract_schema (version INTEGER NOT NULL)")
    row = conn.execute("SELECT version FROM vbextract_schema").fetchone()
    version = row[0] if row else 0
    if version > SCHEMA_VERSION:
        conn.close()
        raise IndexError_(
            _display(url), f"index schema version {version} is newer than this vbextract's ({SCHEMA_VERSION})"
        )
    with conn.transaction():
        if row is None:
            conn.execute("INSERT INTO vbextract_schema VALUES (0)")
        for v in range(version, SCHEMA_VERSION):
            conn.execute(PG_MIGRATIONS[v])  # our own DDL, several statements, no parameters
            conn.execute("UPDATE vbextract_schema SET version = %s", (v + 1,))
    return PostgresBackend(conn, _display(url))
