"""``vbextract batch``: many documents at once, in parallel, resumable, with the
aggregate exports (documents.jsonl, errors.jsonl, CSV, XLSX, iCalendar).

    from vbextract.batch import Options, expand, run_batch
    code, totals = run_batch(expand(["inbox/"]), Path("out"), Options())
"""

from .engines import Settings
from .inputs import expand
from .run import BATCH_FAILED, ENGINES, FORMATS, Options, run_batch

__all__ = ["BATCH_FAILED", "ENGINES", "FORMATS", "Options", "Settings", "expand", "run_batch"]
