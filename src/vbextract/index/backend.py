"""The two databases the index lives in: an embedded SQLite file (the default) and a
PostgreSQL server (``--db postgresql://...``, psycopg 3).  ``load.py`` and ``search.py``
write their SQL once, with ``:name`` (and ``?``) parameters; a backend runs it in its
driver's style and supplies the few parts that differ: how ids come back, transactions,
the full-text tables and their query.

Full text on PostgreSQL: a ``task_search`` table of two ``tsvector`` columns (the words as
written and the folded shadow, weighted like the SQLite FTS5 columns) with GIN indexes,
queried with ``plainto_tsquery('simple', ...)``.  The folding is ``normalize.fold`` in
Python, as for SQLite, so both databases fold đ/Đ and tone marks identically; unaccent
would fold differently (it keeps no đ mapping in some versions) and pg_trgm answers a
different question (similar strings, not words).
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Sequence, Union

Params = Union[Sequence[Any], Mapping[str, Any]]
FtsRow = tuple[int, str, str, str, str, str]  # task id, content, group, title, units, folded


class Backend:
    """What load.py and search.py need from a database connection."""

    dialect = ""
    name = ""

    def execute(self, sql: str, params: Params = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row; its ``id``."""
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def fts_add(self, rows: list[FtsRow]) -> None:
        raise NotImplementedError

    def fts_add_document(self, doc_id: int, title: str, symbol: str, issuer: str, folded: str) -> None:
        raise NotImplementedError

    def fts_delete(self, doc_id: int) -> None:
        raise NotImplementedError

    def text_match(self) -> tuple[str, str, str]:
        """(JOIN giving the folded hits as ``f`` with ``f.frank``, the exact-hit expression,
        the ORDER BY head over the columns exact and frank), over the parameters ``:fts_folded`` and ``:fts_exact``."""
        raise NotImplementedError

    def text_params(self, exact: list[str], folded: list[str]) -> dict[str, str]:
        raise NotImplementedError

    def contains(self, column: str, param: str) -> str:
        """SQL: ``column`` contains the text of parameter ``param``."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            cols = list(rows[0])
            sql = f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
            self.executemany(sql, [tuple(r[c] for c in cols) for r in rows])


def _q(col: str) -> str:
    return f'"{col}"' if col == "end" else col


def _fts_query(words: list[str], columns: str) -> str:
    """An FTS5 query: every word (quoted, so no operator syntax leaks in) in the columns."""
    return "{" + columns + "} : (" + " AND ".join(f'"{w}"' for w in words) + ")"


class SqliteBackend(Backend):
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, name: str) -> None:
        self.conn = conn
        self.name = name

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert(self, table: str, row: dict[str, Any]) -> int:
        sql = f"INSERT INTO {table} ({', '.join(map(_q, row))}) VALUES ({', '.join('?' * len(row))})"
        return int(self.conn.execute(sql, tuple(row.values())).lastrowid or 0)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def fts_add(self, rows: list[FtsRow]) -> None:
        self.conn.executemany(
            "INSERT INTO tasks_fts (rowid, content, group_name, title, units, folded) VALUES (?,?,?,?,?,?)", rows
        )

    def fts_add_document(self, doc_id: int, title: str, symbol: str, issuer: str, folded: str) -> None:
        self.conn.execute(
            "INSERT INTO documents_fts (rowid, title, symbol, issuer, folded) VALUES (?, ?, ?, ?, ?)",
            (doc_id, title, symbol, issuer, folded),
        )

    def fts_delete(self, doc_id: int) -> None:
        self.conn.execute(
            "DELETE FROM tasks_fts WHERE rowid IN (SELECT id FROM tasks WHERE document_id = ?)", (doc_id,)
        )
        self.conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (doc_id,))

    def text_match(self) -> tuple[str, str, str]:
        join = " JOIN (SELECT rowid AS fid, rank AS frank FROM tasks_fts WHERE tasks_fts MATCH :fts_folded) f ON f.fid = t.id"
        exact = "(t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH :fts_exact))"
        return join, exact, "exact DESC, frank, "

    def text_params(self, exact: list[str], folded: list[str]) -> dict[str, str]:
        return {
            "fts_exact": _fts_query(exact, "content group_name title units"),
            "fts_folded": _fts_query(folded, "folded"),
        }

    def contains(self, column: str, param: str) -> str:
        return f"instr({column}, :{param}) > 0"

    def close(self) -> None:
        self.conn.close()


_WORD = re.compile(r"\w+")
_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


def to_pyformat(sql: str) -> str:
    """``:name`` -> ``%(name)s``, ``?`` -> ``%s``, a literal ``%`` doubled (psycopg's style)."""
    sql = sql.replace("%", "%%")
    sql = _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self, conn: Any, name: str) -> None:
        self.conn = conn  # a psycopg.Connection in autocommit mode: transactions are explicit
        self.name = name

    def execute(self, sql: str, params: Params = ()) -> Any:
        return self.conn.execute(to_pyformat(sql), params or None)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(to_pyformat(sql), rows)

    def insert(self, table: str, row: dict[str, Any]) -> int:
        sql = f"INSERT INTO {table} ({', '.join(map(_q, row))}) VALUES ({', '.join('?' * len(row))}) RETURNING id"
        return int(self.execute(sql, tuple(row.values())).fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def fts_add(self, rows: list[FtsRow]) -> None:
        # words cut and lower-cased here, as the query's are: under the C locale the server's
        # parser takes any non-ASCII character for a letter ("“Chuyển") and lower() knows only ASCII
        rows = [(r[0], *(" ".join(_WORD.findall(x.lower())) for x in r[1:])) for r in rows]  # type: ignore[misc]
        # the same weights as the FTS5 rank: content A, units and group B, title C; folded shadow D
        self.executemany(
            "INSERT INTO task_search (task_id, exact, folded) VALUES (?,"
            " setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B')"
            " || setweight(to_tsvector('simple', ?), 'C') || setweight(to_tsvector('simple', ?), 'B'),"
            " setweight(to_tsvector('simple', ?), 'D'))",
            rows,
        )

    def fts_add_document(self, doc_id: int, title: str, symbol: str, issuer: str, folded: str) -> None:
        pass  # documents_fts serves Datasette's search box, which is SQLite only

    def fts_delete(self, doc_id: int) -> None:
        pass  # task_search rows go with their tasks (ON DELETE CASCADE)

    def text_match(self) -> tuple[str, str, str]:
        # OFFSET 0: the subquery stays one, so rank and exact flag are computed before the join
        # and the wide tsvectors do not travel through it
        join = (
            " JOIN (SELECT task_id AS fid, ts_rank(folded, plainto_tsquery('simple', :fts_folded)) AS frank,"
            " exact @@ plainto_tsquery('simple', :fts_exact) AS fexact FROM task_search"
            " WHERE folded @@ plainto_tsquery('simple', :fts_folded) OFFSET 0) f ON f.fid = t.id"
        )
        return join, "f.fexact", "exact DESC, frank DESC, "

    def text_params(self, exact: list[str], folded: list[str]) -> dict[str, str]:
        return {"fts_exact": " ".join(exact), "fts_folded": " ".join(folded)}

    def contains(self, column: str, param: str) -> str:
        return f"strpos({column}, :{param}) > 0"

    def close(self) -> None:
        self.conn.close()
