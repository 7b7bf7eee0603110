"""The index on a real PostgreSQL server (Debian's postgresql package, started by the
tests in a temporary folder): `index` and `search` give what they give on SQLite."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GOLDEN
from vbextract.cli import main
from vbextract.index import Query, connect, index_paths, search
from vbextract.index.db import SCHEMA_VERSION, IndexError_

PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None)
pytestmark = pytest.mark.skipif(
    PG_BIN is None, reason="the PostgreSQL server is not installed (.ci/run installs the postgresql package)"
)

QUERIES = [
    Query(unit="Sở KH&ĐT"),
    Query(unit="Sở Tài chính"),
    Query(unit="so noi vu", role="lead"),
    Query(unit="vu viet linh"),
    Query(due_before=date(2025, 12, 31)),
    Query(due_after=date(2025, 7, 1), due_before=date(2025, 12, 31)),
    Query(unit="Sở Tài chính", due_before=date(2025, 12, 31)),
    Query(overdue=True, as_of=date(2026, 1, 1)),
    Query(cites="181/2024/NĐ-CP"),
    Query(cites="06/2022/nd-cp"),
    Query(province="lao cai", doc_type="KH"),
    Query(doc_type="qd"),
    Query(issuer="Thủ tướng Chính phủ"),
    Query(unit="Sở Nội vụ", limit=5),
]
TEXTS = ["dong nai", "Đồng Nai", "so noi vu", "Sở Nội vụ", "sở", "chuyển đổi số"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server():
    """A PostgreSQL server of its own: initdb in a temporary folder, a free port, trust auth
    on 127.0.0.1; as root, run as the `postgres` user (the server refuses root)."""
    assert PG_BIN is not None
    bindir = Path(PG_BIN).parent
    tmp = Path(tempfile.mkdtemp(prefix="vbe-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = tmp / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "vbe", "-E", "UTF8", "--locale=C")
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(tmp / "log"), "-w", "start")
    try:
        yield f"postgresql://vbe@127.0.0.1:{port}"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def _database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture(scope="module")
def both(server, tmp_path_factory):
    pg = _database(server, "plans")
    lite = tmp_path_factory.mktemp("lite") / "plans.sqlite"
    for db in (pg, lite):
        report = index_paths(db, [GOLDEN])
        assert len(report.added) == len(list(GOLDEN.glob("*.json"))) and not report.failed
    a, b = connect(pg), connect(lite)
    yield a, b
    a.close()
    b.close()


def _hits(conn, q: Query) -> list[dict]:
    """The hits without the database's own row ids."""
    return [h.model_dump(exclude={"document_id", "review"}) for h in search(conn, q).hits]


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: json.dumps(q.model_dump(exclude_defaults=True), default=str))
def test_search_gives_the_same_hits_in_the_same_order(both, q):
    pg, lite = both
    expected = _hits(lite, q)
    assert expected and _hits(pg, q) == expected
    assert search(pg, q).total == search(lite, q).total


@pytest.mark.parametrize("text", TEXTS)
def test_free_text_gives_the_same_hits_exact_first(both, text):
    pg, lite = both
    got, expected = search(pg, Query(text=text)).hits, search(lite, Query(text=text)).hits
    key = lambda h: (h.document, h.task_id, h.exact)  # noqa: E731
    assert expected and sorted(map(key, got)) == sorted(map(key, expected))  # ranks differ: bm25 / ts_rank
    flags = [h.exact for h in got]
    assert flags == sorted(flags, reverse=True)


def test_same_row_counts(both):
    pg, lite = both
    for table in ("documents", "tasks", "task_units", "deadlines", "legal_refs", "legal_mentions", "task_legal_refs"):
        q = f"SELECT count(*) FROM {table}"
        assert pg.execute(q).fetchone()[0] == lite.execute(q).fetchone()[0], table
    assert (
        pg.execute("SELECT count(*) FROM task_search").fetchone()[0]
        == lite.execute("SELECT count(*) FROM tasks").fetchone()[0]
    )


def test_reindexing_a_changed_document(server, tmp_path):
    url = _database(server, "reindex")
    name = "42_KH_2242-KH-SCT_Lao-Cai_2026.docx.json"
    shutil.copy(GOLDEN / name, tmp_path / name)
    assert index_paths(url, [tmp_path]).added == [name]

    def snapshot():
        c = connect(url)
        try:
            return c.execute("SELECT id, task_id, content FROM tasks ORDER BY id").fetchall()
        finally:
            c.close()

    before = snapshot()
    assert index_paths(url, [tmp_path]).unchanged == [name] and snapshot() == before
    d = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    d["tasks"] = d["tasks"][:2]
    d["tasks"][0]["content"] = "Kiểm định thiết bị nâng hạ tại Đắk Lắk"
    (tmp_path / name).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    assert index_paths(url, [tmp_path]).replaced == [name]
    c = connect(url)
    assert [r[1] for r in c.execute("SELECT id, task_id FROM tasks ORDER BY id").fetchall()] == ["T1", "T2"]
    assert [h.task_id for h in search(c, Query(text="dak lak")).hits] == ["T1"]
    assert c.execute("SELECT count(*) FROM task_search").fetchone()[0] == 2
    c.close()


def test_newer_schema_refused(server):
    url = _database(server, "newer")
    connect(url).close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        c.execute("UPDATE vbextract_schema SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(IndexError_, match="newer than this vbextract"):
        connect(url)


def test_cli_on_postgres(both, server):
    r = CliRunner().invoke(main, ["search", "--db", f"{server}/plans", "--unit", "Sở KH&ĐT", "--json"])
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["total"] == 8 and out["unit"]["successor"] == "Sở Tài chính"
    bad = CliRunner().invoke(main, ["search", "--db", "postgresql://vbe:secret@127.0.0.1:1/x", "--unit", "x"])
    assert bad.exit_code == 1 and "cannot connect" in bad.stderr and "secret" not in bad.stderr
