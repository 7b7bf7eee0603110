"""``vbextract serve``: Datasette over the index, for people who do not use a terminal.

Datasette (well kept, made for exactly this: browsing an SQLite file with facets, full-text
search and canned queries, no code per page) is given the project's metadata below and
this module as a plugin: the SQL functions the canned queries call (``vbe_unit`` resolves
a unit the way ``vbextract search`` does), a link to the review page in every ``review``
column, and the review page itself at ``/-/review/<document id>``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from ..schema import Document
from .db import register_functions
from .search import DATED_KINDS

_DATED = ", ".join(f"'{k}'" for k in DATED_KINDS)
_TASK_COLS = (
    "t.review, d.symbol, d.province, d.doc_type, t.task_id, t.content, t.lead, t.support,"
    " t.deadline_text, t.deadline_kind, t.deadline_end"
)
_FROM_UNITS = (
    "FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN documents d ON d.id = t.document_id"
    " WHERE (tu.unit_id = vbe_unit(:unit) OR tu.successor_id = vbe_unit(:unit)"
    " OR (vbe_unit(:unit) IS NULL AND instr(tu.name_folded, vbe_fold(:unit)) > 0))"
)

QUERIES: dict[str, dict[str, Any]] = {
    "unit_due_before": {
        "title": "A unit's tasks due before a day",
        "description": "The unit by name, alias or abbreviation (Sở KH&ĐT, so noi vu); the tasks of the bodies "
        "it took over in 2025 too. Day as YYYY-MM-DD.",
        "sql": f"SELECT DISTINCT {_TASK_COLS}, tu.role, tu.name AS unit, tu.successor AS now_with {_FROM_UNITS}"
        ' AND EXISTS (SELECT 1 FROM deadlines dl WHERE dl.task_id = t.id AND dl."end" <= :before)'
        " ORDER BY t.deadline_end, d.key, t.position",
    },
    "implements": {
        "title": "Tasks that implement or cite a document",
        "description": "The symbol as printed or without diacritics (59/2012/NĐ-CP, 181/2024/nd-cp): the tasks of "
        "plans that implement it and the tasks that name it.",
        "sql": f"SELECT {_TASK_COLS}, lr.symbol AS cited, tl.how FROM task_legal_refs tl"
        " JOIN legal_refs lr ON lr.id = tl.legal_ref_id JOIN tasks t ON t.id = tl.task_id"
        " JOIN documents d ON d.id = t.document_id WHERE lr.symbol_key = vbe_symbol(:symbol)"
        " ORDER BY d.key, t.position, tl.how",
    },
    "successor_owned": {
        "title": "Obligations still with a body dissolved in 2025",
        "description": "Tasks whose lead or support unit was merged away; now_with is the body that took it over.",
        "sql": f"SELECT {_TASK_COLS}, tu.role, tu.name AS unit, tu.successor AS now_with FROM task_units tu"
        " JOIN tasks t ON t.id = tu.task_id JOIN documents d ON d.id = t.document_id"
        " WHERE tu.successor_id IS NOT NULL ORDER BY tu.successor, d.key, t.position, tu.role",
    },
    "overdue": {
        "title": "Overdue tasks",
        "description": "Tasks whose dated deadline (a day, a month, a quarter, a year, a range) ended before as_of "
        "(YYYY-MM-DD; empty: today).",
        "sql": f"SELECT {_TASK_COLS} FROM tasks t JOIN documents d ON d.id = t.document_id"
        " WHERE t.deadline_end < coalesce(nullif(:as_of, ''), date('now'))"
        f" AND t.deadline_kind IN ({_DATED}) ORDER BY t.deadline_end, d.key, t.position",
    },
}


def metadata(database: str) -> dict[str, Any]:
    """Datasette's metadata: titles, facets, full-text search, canned queries."""
    return {
        "title": "vbextract: obligations across documents",
        "description": "Tasks of Vietnamese administrative documents: who leads, who supports, by when, under "
        "which decree. Search works with or without diacritics (so noi vu, dong nai). Every task links to its "
        "review page, where its source is highlighted in the document's text.",
        "databases": {
            database: {
                "tables": {
                    "tasks": {
                        "fts_table": "tasks_fts",
                        "fts_pk": "id",
                        "label_column": "task_id",
                        "facets": ["province", "doc_type", "deadline_kind", "deadline_month", "rule"],
                        "description": "One row per task; lead/support per unit in task_units and obligations.",
                    },
                    "obligations": {
                        "facets": ["unit", "role", "province", "deadline_month", "doc_type", "deadline_kind"],
                        "description": "One row per task and unit: facet by unit and role.",
                    },
                    "documents": {
                        "fts_table": "documents_fts",
                        "fts_pk": "id",
                        "label_column": "symbol",
                        "facets": ["province", "doc_type", "issuer"],
                    },
                    "task_units": {"facets": ["role", "name", "successor"]},
                    "units": {"label_column": "name", "facets": ["type", "level", "successor"]},
                    "legal_refs": {"label_column": "symbol", "facets": ["doc_type", "relations"]},
                    "deadlines": {"facets": ["kind", "month"]},
                    "targets": {"facets": ["unit", "year"]},
                    "document_json": {"hidden": True},
                },
                "queries": QUERIES,
            }
        },
    }


@hookimpl
def prepare_connection(conn: Any) -> None:
    register_functions(conn)


@hookimpl
def render_cell(value: Any, column: str) -> Any:
    if column == "review" and isinstance(value, str) and value.startswith("/-/review/"):
        return Markup(f'<a class="review" href="{escape(value)}">review</a>')
    return None


async def review_page(datasette: Any, request: Any) -> Response:
    from ..review import render

    doc_id = int(request.url_vars["doc_id"])
    db = datasette.get_database()
    row = (await db.execute("SELECT json FROM document_json WHERE document_id = ?", [doc_id])).first()
    if row is None:
        return Response.html(f"no document {doc_id} in the index", status=404)
    return Response.html(render(Document.model_validate_json(row[0])))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/review/(?P<doc_id>[0-9]+)$", review_page)]


def serve(db: Path, host: str, port: int) -> None:
    """Run Datasette on ``db`` until interrupted (as `datasette serve` does)."""
    import uvicorn
    from datasette.app import Datasette
    from datasette.plugins import pm

    if not pm.has_plugin("vbextract"):
        pm.register(sys.modules[__name__], name="vbextract")
    ds = Datasette([str(db)], metadata=metadata(db.stem), settings={"default_page_size": 50})
    asyncio.run(ds.invoke_startup())
    print(f"vbextract: serving {db} at http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
