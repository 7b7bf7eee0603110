"""The batch machinery measured (``make bench``; not a test: nothing here asserts a time).

Over the digital corpus and the wild corpus (``../shared/corpus``, recursive; or the
paths given), each run into a fresh temporary folder:

* ``extract`` in a loop, one process, writing each JSON (the baseline);
* ``vbextract batch --formats json`` with 1 worker: its overhead over the loop;
* the same with 2 workers: docs/s, pages/s, scaling efficiency (1-worker time / (2 x 2-worker time));
* with 2 workers and every export (CSV, XLSX, ICS): what the exports cost;
* a re-run with nothing changed, as a share of that run;
* the Dask engine on a local cluster of 1 and 2 workers, JSON only (with the cluster's start-up),
  and its no-change re-run.

Peak RSS per worker comes from the workers themselves (``ru_maxrss``).  The batch
runs in this process (``run_batch``), as the CLI would after its imports.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vbextract import VbeError, extract, to_json  # noqa: E402
from vbextract.batch import Options, Settings, expand, run_batch  # noqa: E402
from vbextract.batch.report import Totals  # noqa: E402

ALL = "json,csv,xlsx,ics"


CPU: dict[str, float] = {}  # run label -> CPU seconds of this process and its (waited-for) children


def cpu_now() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def loop(files: list[Path], out: Path) -> float:
    """extract + to_json + write, one document after the other."""
    t0, c0 = time.perf_counter(), cpu_now()
    for f in files:
        try:
            (out / f"{f.name}.json").write_text(to_json(extract(f)), encoding="utf-8")
        except VbeError:
            pass
    CPU["loop"] = cpu_now() - c0
    return time.perf_counter() - t0


def batch(files: list[Path], out: Path, workers: int, engine: str = "local", formats: str = "json") -> Totals:
    opts = Options(
        formats=frozenset(formats.split(",")), engine=engine, settings=Settings(workers=workers), progress=False
    )
    c0 = cpu_now()
    totals = run_batch(files, out, opts)[1]
    CPU[f"{engine} {workers} {formats}"] = cpu_now() - c0  # Dask's workers are not our children: not counted
    return totals


def line(label: str, t: Totals, n: int, pages: int) -> str:
    peaks = ", ".join(f"{k / 1024:.0f}" for k in sorted(t.peak_rss_kb.values(), reverse=True)) or "-"
    return (
        f"{label:<24} {t.wall:7.2f} s  {n / t.wall:6.1f} docs/s  {pages / t.wall:6.1f} pages/s  "
        f"peak RSS per worker (MB): {peaks}"
    )


def main() -> None:
    args = sys.argv[1:] or [str(ROOT.parent / "shared" / "corpus")]
    files = expand(args)
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="vbextract-bench-") as tmp:
        base = Path(tmp)
        (base / "loop").mkdir()
        extract(files[0])  # warm-up: imports, data files, caches (the batch's coordinator has them too)
        t_loop = loop(files, base / "loop")
        one = batch(files, base / "one", 1)
        two = batch(files, base / "two", 2)
        full = batch(files, base / "full", 2, formats=ALL)
        again = batch(files, base / "full", 2, formats=ALL)
        dask1 = batch(files, base / "dask1", 1, "dask")
        dask = batch(files, base / "dask", 2, "dask")
        dask_again = batch(files, base / "dask", 2, "dask")
        rows = sum(len(p.read_bytes().splitlines()) - 1 for p in (base / "full").glob("*.csv"))
    n, pages = len(files), two.pages
    print(f"load average before and after (other processes share the 2 cores): {load0} -> {os.getloadavg()}")
    print(f"{n} documents ({pages} pages, {two.ocr_pages} by OCR, {two.failed} failed) from {', '.join(args)}")
    print(f"{'extract in a loop':<24} {t_loop:7.2f} s  {n / t_loop:6.1f} docs/s  {pages / t_loop:6.1f} pages/s")
    print(line("batch, 1 worker", one, n, pages))
    print(line("batch, 2 workers", two, n, pages))
    print(line("batch, 2 workers, all", full, n, pages))
    print(line("batch, Dask local x1", dask1, n, pages))
    print(line("batch, Dask local x2", dask, n, pages))
    print(
        f"overhead of the batch (JSON only, 1 worker) over the loop: {one.wall / t_loop - 1:+.1%} wall time, ", end=""
    )
    print(f"{CPU['local 1 json'] / CPU['loop'] - 1:+.1%} CPU time (coordinator and workers)")
    print(f"CPU time at 2 workers over 1 worker: {CPU['local 2 json'] / CPU['local 1 json'] - 1:+.1%}")
    print(f"scaling efficiency at 2 workers: {one.wall / (2 * two.wall):.2f} of linear")
    print(f"the exports (CSV, XLSX, ICS; {rows} CSV rows): +{full.wall - two.wall:.2f} s at 2 workers")
    print(f"no-change re-run (all exports): {again.wall:.2f} s = {again.wall / full.wall:.1%} of the first run")
    print(f"Dask local x2 against the local pool x2: {dask.wall / two.wall:.2f}x the time (includes cluster start)")
    print(f"Dask scaling efficiency at 2 workers: {dask1.wall / (2 * dask.wall):.2f} of linear")
    print(f"Dask no-change re-run: {dask_again.wall:.2f} s = {dask_again.wall / dask.wall:.1%} (no cluster started)")


if __name__ == "__main__":
    main()
