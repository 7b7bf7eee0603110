"""The batch coordinator: which documents need extracting (the state says which
are unchanged), an engine to extract them, every output written here and only
into the output folder, then the aggregate exports in input order."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import errors
from . import engines, exports
from .engines import Job, Settings
from .inputs import output_names
from .report import Reporter, Totals
from .rows import DocRecord, Rows
from .store import State, Store, doc_key, file_sha256, jsonl
from .work import Outcome

FORMATS = ("json", "csv", "xlsx", "ics")
ENGINES = ("local", "dask")
BATCH_FAILED = 9


@dataclass
class Options:
    formats: frozenset[str] = frozenset(FORMATS)
    force: bool = False
    engine: str = "local"
    settings: Settings = field(default_factory=Settings)
    progress: Optional[bool] = None


@dataclass
class _Run:
    """One run's bookkeeping, filled in by ``done`` as documents finish."""

    store: Store
    names: list[str]
    keys: list[Optional[str]]
    opts: Options
    reporter: Reporter
    totals: Totals
    results: dict[int, tuple[DocRecord, Rows]] = field(default_factory=dict)

    def done(self, i: int, out: Outcome) -> None:
        if out.install_error is not None:
            raise errors.InstallationError(*out.install_error)
        name, rec = self.names[i], out.record
        if out.json is not None and "json" in self.opts.formats:
            self.store.write(name, out.json.encode("utf-8"))
        else:
            rec.output = None
            if rec.status == "error":
                (self.store.out_dir / name).unlink(missing_ok=True)  # a JSON of an earlier content of the file
        key = self.keys[i]
        if key is not None and not (rec.error and rec.error.stage == "worker"):  # a timeout or crash: retried
            self.store.save(name, State(key=key, record=rec, rows=out.rows))
        else:
            self.store.forget(name)
        if rec.error is not None:
            self.reporter.line(f"vbextract: error: {rec.file}: {rec.error.reason}")
        self.results[i] = (rec, out.rows)
        self.totals.converted += rec.status == "ok"
        if out.pid:
            self.totals.peak_rss_kb[out.pid] = max(self.totals.peak_rss_kb.get(out.pid, 0), out.peak_rss_kb)
        self.reporter.advance()


def _plan(files: list[Path], names: list[str], store: Store, opts: Options) -> tuple[list[Optional[str]], list[Job]]:
    """Each document's key, and the jobs: the documents without an up-to-date state."""
    keys: list[Optional[str]] = []
    jobs: list[Job] = []
    for i, (f, name) in enumerate(zip(files, names)):
        sha = file_sha256(f)
        keys.append(doc_key(sha, opts.settings.ocr_mode, str(f)) if sha else None)
        state = None if opts.force or sha is None else store.load(name)
        fresh = state is not None and state.key == keys[i]
        if fresh and state is not None and state.record.status == "ok" and "json" in opts.formats:
            fresh = (store.out_dir / name).is_file()
        if not fresh:
            jobs.append(Job(i, str(f), name))
    # largest first: a long document started last would leave the other workers idle at
    # the end (the outputs do not depend on this order, the exports follow the inputs')
    jobs.sort(key=lambda j: (-_size(Path(j.path)), j.index))
    return keys, jobs


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def _export_names(formats: frozenset[str]) -> list[str]:
    names = ["documents.jsonl", "errors.jsonl"]
    names += [f"{t}.csv" for t in exports.TABLES] if "csv" in formats else []
    names += ["vbextract.xlsx"] if "xlsx" in formats else []
    return names + (["deadlines.ics"] if "ics" in formats else [])


def _exports_key(names: list[str], keys: list[Optional[str]], formats: frozenset[str]) -> str:
    """What the aggregate exports are made from: every document's output name and key."""
    h = hashlib.sha256(",".join(sorted(formats)).encode())
    for name, key in zip(names, keys):
        h.update(f"\n{name}\t{key}".encode())
    return h.hexdigest()


def _present(out_dir: Path, formats: frozenset[str]) -> bool:
    return all((out_dir / n).is_file() for n in _export_names(formats))


def _collect(
    names: list[str], results: dict[int, tuple[DocRecord, Rows]], store: Store
) -> list[tuple[DocRecord, Rows]]:
    """Every document's record and rows, in input order: this run's, else its state's."""
    docs: list[tuple[DocRecord, Rows]] = []
    for i, name in enumerate(names):
        if i in results:
            docs.append(results[i])
            continue
        state = store.load(name)
        if state is None:  # cannot happen: a document not run has an up-to-date state
            raise RuntimeError(f"no state for {name}")
        docs.append((state.record, state.rows))
    return docs


def _exports(store: Store, docs: list[tuple[DocRecord, Rows]], formats: frozenset[str]) -> None:
    records = [rec for rec, _ in docs]
    store.write_text("documents.jsonl", jsonl(records))
    store.write_text("errors.jsonl", jsonl([r.error for r in records if r.error is not None]))
    if "csv" in formats:
        for name in exports.TABLES:
            store.write(f"{name}.csv", exports.to_csv(name, docs))
    if "xlsx" in formats:
        store.write("vbextract.xlsx", exports.to_xlsx(docs, store.tmp))
    if "ics" in formats:
        store.write("deadlines.ics", exports.to_ics(docs))


def run_batch(files: list[Path], out_dir: Path, opts: Options) -> tuple[int, Totals]:
    """Extract ``files`` into ``out_dir``; returns the exit code (0, or 9 when a
    document failed) and the run's totals.  An installation error stops the batch
    (``errors.InstallationError``); a KeyboardInterrupt stops it keeping what is done."""
    t0 = time.perf_counter()
    store = Store(out_dir)
    names = output_names(files)
    keys, jobs = _plan(files, names, store, opts)
    totals = Totals(skipped=len(files) - len(jobs))
    with Reporter(len(jobs), opts.progress) as reporter:
        run = _Run(store, names, keys, opts, reporter, totals)
        if jobs:
            engine = engines.run_dask if opts.engine == "dask" else engines.run_local
            engine(jobs, opts.settings, run.done)
    failed_workers = any(r.error and r.error.stage == "worker" for r, _ in run.results.values())
    key = None if failed_workers else _exports_key(names, keys, opts.formats)  # a timeout is retried next run
    if not jobs and key is not None and store.exports_key() == key and _present(out_dir, opts.formats):
        # nothing changed since the exports were last written whole: they stand
        text = (out_dir / "documents.jsonl").read_text(encoding="utf-8")
        records = [DocRecord.model_validate_json(line) for line in text.splitlines()]
    else:
        store.set_exports_key(None)
        docs = _collect(names, run.results, store)
        _exports(store, docs, opts.formats)
        store.set_exports_key(key)
        records = [rec for rec, _ in docs]
    for rec in records:
        totals.add(rec)
    totals.wall = time.perf_counter() - t0
    return (BATCH_FAILED if totals.failed else 0), totals
