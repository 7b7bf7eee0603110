"""Index and search at scale: documents/s indexed and search latency p50/p95 on SQLite.

The samples, the shared corpus, its wild part and the seeds are extracted once (OCR off),
then their JSON is indexed again and again under different keys ("0007/<name>") until the
index holds at least N documents (default 10,000).  Then each query is run REPS times:
a unit + due-before query (the CLI's and the canned query's question) and free-text
queries with and without diacritics, each with --limit 50 (a page of results, as the web
page shows) and without a limit (every hit, as --json/--csv write).  Latencies are the
whole of ``search.search`` (SQL and the hits' units, deadlines and references), in ms.

    .venv/bin/python bench/index_bench.py [N_DOCS] [--keep DB] [--postgres URL]

Everything is written under a temporary folder (removed at the end) unless --keep names a
database file to leave behind.  With --postgres, the same documents and queries run on that
(empty) PostgreSQL database as well.
"""

from __future__ import annotations

import math
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = [ROOT / "samples", SHARED / "corpus", SHARED / "seeds"]

UNIT_QUERIES = [
    ("Sở Nội vụ", date(2025, 12, 31)),
    ("Sở KH&ĐT", date(2025, 12, 31)),
    ("so tai chinh", date(2025, 6, 30)),
    ("Công an tỉnh", date(2026, 12, 31)),
    ("Sở Y tế", date(2025, 12, 31)),
    ("Bộ Công Thương", date(2026, 6, 30)),
    ("UBND cấp xã", date(2025, 12, 31)),
    ("Văn phòng UBND tỉnh", date(2025, 9, 30)),
]
TEXT_QUERIES = [
    "dong nai",
    "Đồng Nai",
    "chuyển đổi số",
    "chuyen doi so",
    "cai cach hanh chinh",
    "phòng cháy chữa cháy",
    "khoáng sản",
    "dữ liệu dân cư",
]


def documents() -> list[tuple[str, bytes]]:
    """(name, JSON bytes) of every readable file of the sources, extracted with OCR off."""
    from vbextract import VbeError, extract, to_json
    from vbextract.cli import SUFFIXES

    out: list[tuple[str, bytes]] = []
    seen: set[str] = set()
    for src in SOURCES:
        if not src.is_dir():
            print(f"(missing: {src})")
            continue
        for p in sorted(q for q in src.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES):
            if p.name in seen:
                continue
            seen.add(p.name)
            try:
                out.append((p.name, to_json(extract(p, "never")).encode("utf-8")))
            except VbeError:
                continue
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, math.ceil(p / 100 * len(xs)) - 1)]


def measure(conn, docs: list[tuple[str, bytes]], target: int, label: str) -> None:
    """Index copies of ``docs`` until ``target`` documents, then time the queries."""
    from vbextract.index import Query, search
    from vbextract.index.load import index_json, sync_units

    sync_units(conn)
    rounds = math.ceil(target / len(docs))
    t0 = time.perf_counter()
    n = 0
    for r in range(rounds):
        for name, data in docs:
            index_json(conn, data, f"{r:04d}/{name}", name)
            n += 1
    dt = time.perf_counter() - t0
    tasks = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    print(f"[{label}] indexed {n} documents ({tasks} tasks) in {dt:.1f} s: {n / dt:.0f} documents/s")
    conn.execute("PRAGMA optimize" if conn.dialect == "sqlite" else "ANALYZE")

    def run(what: str, queries: list[Query], reps: int = 5) -> None:
        for limit in (50, None):
            times, hits = [], []
            for _ in range(reps):
                for q in queries:
                    q = q.model_copy(update={"limit": limit})
                    t = time.perf_counter()
                    res = search(conn, q)
                    times.append((time.perf_counter() - t) * 1000)
                    hits.append(res.total)
            lim = f"limit {limit}" if limit else "all hits"
            print(
                f"[{label}] {what:<18} {lim:<9} p50 {statistics.median(times):7.1f} ms  p95 {pct(times, 95):7.1f} ms"
                f"  (median hits {statistics.median(hits):.0f}, {len(times)} runs)"
            )

    run("unit + due-before", [Query(unit=u, due_before=d) for u, d in UNIT_QUERIES])
    run("free text", [Query(text=t) for t in TEXT_QUERIES])
    run("unit + text", [Query(unit="Sở Nội vụ", text=t) for t in TEXT_QUERIES[:4]])


def main() -> None:
    from vbextract.index import connect

    args = sys.argv[1:]
    keep = postgres = None
    if "--keep" in args:
        i = args.index("--keep")
        keep = Path(args[i + 1])
        del args[i : i + 2]
    if "--postgres" in args:
        i = args.index("--postgres")
        postgres = args[i + 1]
        del args[i : i + 2]
    target = int(args[0]) if args else 10_000
    t0 = time.perf_counter()
    docs = documents()
    print(f"extracted {len(docs)} documents in {time.perf_counter() - t0:.0f} s (OCR off)")
    tmp = Path(tempfile.mkdtemp(prefix="vbe-index-bench-"))
    try:
        db = tmp / "plans.sqlite"
        conn = connect(db)
        measure(conn, docs, target, "sqlite")
        print(f"[sqlite] {db.stat().st_size / 2**20:.0f} MB")
        conn.close()
        if keep:
            shutil.copy(db, keep)
            print(f"kept {keep}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if postgres:
        conn = connect(postgres)
        measure(conn, docs, target, "postgresql")
        conn.close()


if __name__ == "__main__":
    main()
