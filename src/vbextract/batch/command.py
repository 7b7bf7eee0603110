"""``vbextract batch INPUT... -o OUT``: the click command (options only; the work
is ``run.run_batch``).  ``vbextract extract`` with a folder or several files calls
``run_extract_batch`` here, so both commands share one batch."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn, Optional

import click

from .. import errors
from .engines import Settings
from .inputs import expand
from .report import Reporter, summary
from .run import ENGINES, FORMATS, Options, run_batch

INTERRUPTED = 130
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.I)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_max_memory(jobs: int) -> Optional[int]:
    """Four fifths of the machine's memory shared by the workers."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return int(total * 0.8 / max(1, jobs))


def parse_size(text: str) -> int:
    """'512M', '2G', '1.5GB', '1000000' -> bytes."""
    m = _SIZE.match(text)
    if not m:
        raise click.BadParameter(f"{text!r} is not a size such as 512M or 2G")
    return int(float(m.group(1)) * 1024 ** " KMGT".index((m.group(2) or " ").upper()))


def parse_formats(text: str) -> frozenset[str]:
    chosen = frozenset(x.strip().lower() for x in text.split(",") if x.strip())
    unknown = chosen - set(FORMATS)
    if unknown or not chosen:
        raise click.BadParameter(f"choose among {', '.join(FORMATS)} (comma-separated), not {text!r}")
    return chosen


def _fail(e: errors.VbeError) -> NoReturn:
    click.echo(f"vbextract: error: {e.path}: {e.reason}", err=True)
    sys.exit(e.exit_code)


def _sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # stop the workers and keep what is written, as on Ctrl-C


def execute(files: list[Path], out: Path, opts: Options, index_db: Optional[str] = None) -> NoReturn:
    """Run the batch, print its summary, index OUT into ``index_db`` if given, exit with its code."""
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"{out} is a file: -o/--out of a batch is a folder")
    old = signal.signal(signal.SIGTERM, _sigterm)
    try:
        code, totals = run_batch(files, out, opts)
    except errors.InstallationError as e:
        _fail(e)
    except OSError as e:  # the output folder cannot be written (permissions, disk full)
        click.echo(f"vbextract: error: {e.filename or out}: cannot write ({e.strerror or e})", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo(
            f"vbextract: interrupted: the documents done are kept in {out}; run the same command again to finish",
            err=True,
        )
        sys.exit(INTERRUPTED)
    finally:
        signal.signal(signal.SIGTERM, old)
    Reporter(0, False).console.print(summary(totals, str(out)))
    if index_db:
        from ..index.load import index_paths  # the index is an optional stage: imported when asked

        report = index_paths(index_db, [out])
        for name, reason in report.failed:
            click.echo(f"vbextract: error: {name}: {reason}", err=True)
        click.echo(f"{report.summary()} -> {index_db}", err=True)
        code = code or (9 if report.failed else 0)
    sys.exit(code)


def run_extract_batch(files: list[Path], out: Path, progress: Optional[bool], ocr_mode: str) -> NoReturn:
    """``vbextract extract FOLDER -o OUT``: the batch with its defaults, JSON only."""
    jobs = cpu_count()
    settings = Settings(ocr_mode=ocr_mode, workers=jobs, max_memory=default_max_memory(jobs))
    execute(files, out, Options(formats=frozenset({"json"}), settings=settings, progress=progress))


@click.command("batch")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: the number of CPUs).")
@click.option("--ocr", "ocr_mode", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--formats", default=",".join(FORMATS), show_default=True, help="Exports to write, comma-separated.")
@click.option("--force", is_flag=True, help="Redo every document, even those unchanged since the last run.")
@click.option(
    "--timeout", type=click.FloatRange(min=0), default=300, show_default=True, help="Seconds per document (0: none)."
)
@click.option("--max-memory", help="Memory limit per worker, e.g. 2G (default: 4/5 of RAM shared by the workers).")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True)
@click.option(
    "--scheduler", help="--engine dask: the scheduler's address (default: a local cluster of --jobs workers)."
)
@click.option(
    "--from-list", "lists", multiple=True, type=click.Path(), help="A file of input paths, one a line (-: stdin)."
)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--index", "index_db", help="Then index OUT into this SQLite file or PostgreSQL URL (vbextract index).")
def batch_cmd(
    inputs: tuple[str, ...],
    out: str,
    jobs: Optional[int],
    ocr_mode: str,
    formats: str,
    force: bool,
    timeout: float,
    max_memory: Optional[str],
    engine: str,
    scheduler: Optional[str],
    lists: tuple[str, ...],
    progress: Optional[bool],
    index_db: Optional[str],
) -> None:
    """Extract many documents into OUT: <name>.json each, documents.jsonl, errors.jsonl,
    tasks/legal_refs/targets/units.csv, vbextract.xlsx and deadlines.ics.

    INPUTS are files, folders (recursive), glob patterns, or - (a list of paths on
    stdin).  A re-run skips the documents unchanged since the last one (--force redoes
    them); a failed document is reported and the batch goes on (exit code 9)."""
    if not inputs and not lists:
        raise click.UsageError("no input: give files, folders, globs or --from-list")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler is for --engine dask")
    try:
        files = expand(inputs, lists)
    except OSError as e:
        raise click.UsageError(f"cannot read the list {e.filename}: {e.strerror}") from e
    workers = jobs or cpu_count()
    settings = Settings(
        ocr_mode=ocr_mode,
        workers=workers,
        timeout=timeout or None,
        max_memory=parse_size(max_memory) if max_memory else default_max_memory(workers),
        scheduler=scheduler,
        scratch=Path(out) / ".vbextract" / "dask",
    )
    opts = Options(formats=parse_formats(formats), force=force, engine=engine, settings=settings, progress=progress)
    execute(files, Path(out), opts, index_db)
