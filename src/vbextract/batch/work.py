"""The per-document function every engine runs: one input path -> an ``Outcome``
(the JSON text, the ``documents.jsonl`` record, the export rows).  It never raises
for a bad document: the error becomes the record, with the stage it failed in.

It writes nothing: the coordinator writes the outputs, so a worker on another
machine (``--engine dask``) needs only to read the input."""

from __future__ import annotations

import ctypes
import faulthandler
import os
import resource
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import Optional

from .. import errors
from ..pipeline import extract, to_json
from .rows import DocRecord, ErrorRecord, Rows, Stage, record_of, rows_of

# Error codes of the batch machinery (the worker, not the document's content).
E_TIMEOUT = "E008"  # the document took longer than --timeout
E_CRASH = "E009"  # the worker died on the document (a native library's segfault, the OOM killer)
E_MEMORY = "E010"  # the document needed more memory than --max-memory
E_INTERNAL = "E999"  # a bug of ours

# Test hook: VBEXTRACT_TEST_HOOK="hang:a.txt,crash:b.txt,oom:c.txt" makes the worker
# hang (sleep), die (SIGSEGV, as a native library's crash would) or allocate without bound on the
# inputs with those file names, so the tests drive the real timeout, crash and memory paths.
TEST_HOOK = "VBEXTRACT_TEST_HOOK"
_PR_SET_PDEATHSIG = 1  # prctl(2)


@dataclass
class Outcome:
    record: DocRecord
    json: Optional[str] = None
    rows: Rows = field(default_factory=Rows)
    pid: int = 0
    peak_rss_kb: int = 0
    install_error: Optional[tuple[str, str]] = None  # (data file, reason): stops the batch


def stage_of(e: errors.VbeError) -> Stage:
    """The stage a coded error was raised in, from the frame that raised it: reading
    the file (``pipeline.read_file``: missing, too large, unreadable), reading its
    format (the readers, and ``pipeline._ingest`` which wraps a library's failure),
    or the extraction stages after it."""
    if isinstance(e, errors.InstallationError):
        return "install"
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "extract"
    module, function = tb.tb_frame.f_globals.get("__name__", ""), tb.tb_frame.f_code.co_name
    if module == "vbextract.pipeline":
        return "read" if function == "read_file" else "ingest" if function == "_ingest" else "extract"
    return "ingest" if module.startswith(("vbextract.ingest", "vbextract.legacy")) else "extract"


def failed(file: str, stage: Stage, code: str, reason: str, output: Optional[str] = None) -> Outcome:
    err = ErrorRecord(file=file, stage=stage, code=code, reason=reason)
    return Outcome(DocRecord(file=file, output=output, status="error", error=err))


def _hook(path: str) -> None:
    name = os.path.basename(path)
    for item in filter(None, os.environ.get(TEST_HOOK, "").split(",")):
        what, _, target = item.partition(":")
        if target != name:
            continue
        if what == "hang":
            time.sleep(3600)
        elif what == "crash":  # as a native library's segfault would
            faulthandler.disable()
            os.kill(os.getpid(), signal.SIGSEGV)
        elif what == "oom":
            hog = [bytearray(2**26) for _ in range(2**14)]  # 1 TiB, in 64 MiB steps
            del hog


def _peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # kB on Linux


def process(path: str, output: str, ocr_mode: str) -> Outcome:
    """Extract one document; every failure is an ``Outcome`` with an error record."""
    try:
        _hook(path)
        doc = extract(path, ocr_mode)
        out = Outcome(record_of(doc, path, output, ocr_mode), to_json(doc), rows_of(doc, path))
    except errors.InstallationError as e:
        out = failed(path, "install", e.code, f"{e.path}: {e.reason}")
        out.install_error = (e.path, e.reason)
    except errors.VbeError as e:
        out = failed(path, stage_of(e), e.code, e.reason if e.path == os.path.basename(path) else str(e))
    except MemoryError:
        out = failed(path, "worker", E_MEMORY, "out of memory (over the worker's memory limit, --max-memory)")
    except Exception as e:  # a bug of ours: recorded, the batch goes on
        out = failed(path, "extract", E_INTERNAL, f"internal error ({type(e).__name__}: {e})")
    out.pid, out.peak_rss_kb = os.getpid(), _peak_rss_kb()
    return out


def init_worker(max_memory: Optional[int]) -> None:
    """A local pool worker's set-up: the memory limit (the data segment, which
    counts malloc and anonymous maps), and signals left to the coordinator (a
    Ctrl-C reaches the whole process group: the coordinator stops the workers;
    a worker whose coordinator is killed is killed too, not left running)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):  # die with the coordinator, even when it is SIGKILLed
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if max_memory and sys.platform.startswith("linux"):
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
