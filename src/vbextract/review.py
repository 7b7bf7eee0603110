"""The review page: a document's text with every extracted fact highlighted in place.

Tasks, lead and support units, deadlines, legal references and targets are marked where
their ``source`` points; the task list links to each task's span (``#T5``) and says the
rule that made it; the warnings are listed.  ``vbextract review FILE --html out.html``
writes it; ``vbextract serve`` shows the same page at ``/-/review/<document id>``.

Why not spaCy's displaCy span renderer: it needs spaCy (and a tokenised ``Doc``) for what
is a sweep over character offsets, and it stacks every span as a line under the text,
which for a plan with hundreds of nested facts is unreadable.  Here the text is cut at
every span boundary and each piece carries the classes of the facts covering it; the page
is a Jinja2 template (autoescaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from jinja2 import Environment
from markupsafe import Markup, escape

from .schema import Document, Source


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # task, lead, support, deadline, legal, target
    label: str  # the tooltip
    task: Optional[str] = None  # the task it belongs to


KINDS = ("task", "lead", "support", "deadline", "legal", "target")


def spans(doc: Document) -> list[Span]:
    """Every fact with a source, in a fixed order (deterministic page)."""
    out: list[Span] = []
    n = len(doc.text)

    def add(src: Optional[Source], kind: str, label: str, task: Optional[str] = None) -> None:
        if src is not None and 0 <= src.start < src.end <= n:
            out.append(Span(src.start, src.end, kind, label, task))

    for t in doc.tasks:
        add(t.source, "task", f"{t.id} ({t.rule or t.origin})", t.id)
        for role, refs in (("lead", t.lead), ("support", t.support)):
            for u in refs:
                add(u.source, role, f"{role} of {t.id}: {u.name}" + (f" [{u.unit_id}]" if u.unit_id else ""), t.id)
        d = t.deadline
        if d is not None:
            add(d.source, "deadline", f"deadline of {t.id}: {d.kind} {d.start or ''}..{d.end or ''}", t.id)
    for r in doc.legal_refs:
        rel = ", ".join(x.kind for x in r.relations)
        for m in r.mentions:
            add(m, "legal", f"{r.id} {r.symbol or r.text or ''}" + (f" ({rel})" if rel else ""))
    for i, g in enumerate(doc.targets):
        val = f"{g.comparator or ''} {g.value if g.value is not None else ''} {g.unit or ''}".strip()
        add(g.source, "target", f"target {i + 1}: {val}" + (f" ({g.year})" if g.year else ""))
    return out


def highlight(text: str, marks: list[Span]) -> Markup:
    """The text cut at every span boundary; each piece a <span> with the classes, tasks and
    tooltips of the facts covering it; an anchor where each task starts."""
    cuts = sorted({0, len(text), *(s.start for s in marks), *(s.end for s in marks)})
    starts: dict[int, list[str]] = {}
    for s in marks:
        if s.kind == "task" and s.task:
            starts.setdefault(s.start, []).append(s.task)
    # sweep: spans sorted by start; the active ones cover the piece
    order = sorted(range(len(marks)), key=lambda i: (marks[i].start, i))
    active: list[int] = []
    j = 0
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        while j < len(order) and marks[order[j]].start <= a:
            active.append(order[j])
            j += 1
        active = [i for i in active if marks[i].end > a]
        for tid in starts.get(a, []):
            parts.append(f'<a class="anchor" id="{escape(tid)}"></a>')
        piece = escape(text[a:b])
        if not active:
            parts.append(str(piece))
            continue
        cover = [marks[i] for i in sorted(active)]
        kinds = [k for k in KINDS if any(s.kind == k for s in cover)]
        tasks = sorted({s.task for s in cover if s.task}, key=_task_order)
        title = "\n".join(dict.fromkeys(s.label for s in cover))
        parts.append(
            f'<span class="f {" ".join(kinds)}" data-tasks="{escape(" ".join(tasks))}" title="{escape(title)}">'
            f"{piece}</span>"
        )
    return Markup("".join(parts))


def _task_order(tid: str) -> tuple[int, str]:
    return (int(tid[1:]) if tid[1:].isdigit() else 0, tid)


_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Review: {{ name }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #222; }
header { padding: .6em 1em; background: #f4f4f4; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.2em; margin: 0 0 .3em; }
.meta { font-size: .9em; color: #444; }
.legend span.f { margin-right: .6em; padding: 0 .3em; }
main { display: grid; grid-template-columns: minmax(22em, 2fr) 3fr; gap: 1em; padding: 1em; }
#tasks { font-size: .85em; max-height: 88vh; overflow: auto; }
#tasks table { border-collapse: collapse; width: 100%; }
#tasks td, #tasks th { border-bottom: 1px solid #eee; padding: .2em .3em; vertical-align: top; text-align: left; }
#text { white-space: pre-wrap; font-family: Georgia, serif; line-height: 1.5; max-height: 88vh; overflow: auto;
        border: 1px solid #ddd; padding: .8em; tab-size: 4; }
span.f.task { background: #fff6cc; }
span.f.lead { background: #ffc9a8; font-weight: 600; }
span.f.support { background: #c9e2ff; }
span.f.deadline { background: #d4f5d0; border-bottom: 2px solid #3a3; }
span.f.legal { background: #ead7ff; }
span.f.target { background: #ffd6e7; border-bottom: 2px dotted #c37; }
span.f.current { outline: 2px solid #d60; }
ul.warnings { margin: .3em 0 0; font-size: .9em; color: #a40; }
</style>
</head>
<body>
<header>
<h1>{{ meta.doc_type_name or meta.doc_type or "" }} {{ meta.symbol or "" }}{% if meta.title %}: {{ meta.title }}{% endif %}</h1>
<div class="meta">{{ name }}{% if issuer %} · {{ issuer }}{% endif %}{% if meta.province %} · {{ meta.province }}{% endif %}
{% if meta.date or meta.date_text %} · {{ meta.date or meta.date_text }}{% endif %}
· {{ doc.tasks|length }} tasks · {{ doc.legal_refs|length }} legal references · {{ doc.targets|length }} targets</div>
<div class="legend">{% for k in kinds %}<span class="f {{ k }}">{{ k }}</span>{% endfor %}</div>
{% if doc.warnings %}<ul class="warnings" id="warnings">
{% for w in doc.warnings %}<li>{{ w.code }}: {{ w.message }}{% if w.page %} (page {{ w.page }}){% endif %}</li>
{% endfor %}</ul>{% endif %}
</header>
<main>
<section id="tasks">
<table>
<thead><tr><th>task</th><th>rule</th><th>content</th><th>lead</th><th>support</th><th>deadline</th></tr></thead>
<tbody>
{% for t in doc.tasks %}<tr id="row-{{ t.id }}">
<td><a class="task-link" href="#{{ t.id }}">{{ t.id }}</a></td><td>{{ t.rule or t.origin }}</td>
<td>{{ t.content|truncate(160) }}</td>
<td>{{ t.lead|map(attribute="name")|join("; ") }}</td><td>{{ t.support|map(attribute="name")|join("; ") }}</td>
<td>{% if t.deadline %}{{ t.deadline.text }}{% if t.deadline.end %} ({{ t.deadline.kind }}, {{ t.deadline.end }}){% endif %}{% endif %}</td>
</tr>
{% endfor %}</tbody>
</table>
</section>
<section id="text">{{ body }}</section>
</main>
<script>
// mark every piece of the task named in the address (#T5) and bring it into view
function showTask() {
  document.querySelectorAll("span.f.current").forEach(e => e.classList.remove("current"));
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) return;
  const pieces = document.querySelectorAll('span.f[data-tasks~="' + CSS.escape(id) + '"]');
  pieces.forEach(e => e.classList.add("current"));
  if (pieces.length) pieces[0].scrollIntoView({block: "center"});
}
window.addEventListener("hashchange", showTask);
window.addEventListener("DOMContentLoaded", showTask);
</script>
</body>
</html>
"""

_ENV = Environment(autoescape=True, keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(_PAGE)


def render(doc: Document) -> str:
    """The review page of one document (self-contained HTML, no external resources)."""
    issuer = doc.meta.issuer.name if doc.meta.issuer else None
    return _TEMPLATE.render(
        doc=doc,
        meta=doc.meta,
        name=doc.source_file.name,
        issuer=issuer,
        kinds=KINDS,
        body=highlight(doc.text, spans(doc)),
    )


def load_or_extract(path: Path, ocr_mode: str = "auto") -> Document:
    """A vbextract JSON output is read as it is; any other file is extracted first."""
    if path.suffix.lower() == ".json":
        from .index.load import read_document

        return read_document(path)[1]
    from .pipeline import extract

    return extract(path, ocr_mode)
