"""Command line: ``vbextract extract FILE... [-o OUT]`` and ``vbextract schema``.

Exit codes (also in README): 0 success; 1 unexpected error (or a bug of ours);
2 usage error; 3 file not found; 4 empty file; 5 unsupported format;
6 corrupt file; 7 encrypted file; 8 file too large; 9 some files of a batch
failed; 10 installation error (a data file under models/ missing or broken;
it stops a batch, every file would fail the same way).
The CLI only parses options and calls the library; library errors become one
line on stderr here.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import NoReturn

import click

from . import errors
from .pipeline import extract, to_json
from .schema import Document

BATCH_FAILED = 9
SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf", ".doc", ".rtf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def _fail(e: errors.VbeError) -> NoReturn:
    click.echo(f"vbextract: error: {e.path}: {e.reason}", err=True)
    sys.exit(e.exit_code)


def _expand(inputs: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for s in inputs:
        p = Path(s)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def _out_path(out_dir: Path, src: Path, used: set[str]) -> Path:
    """<out>/<file name>.json; never outside out_dir, never two inputs on one output."""
    name = src.name.replace("/", "_").replace("\\", "_").lstrip(".") or "document"
    stem, k = name, 2
    while name in used:
        name = f"{stem}~{k}"
        k += 1
    used.add(name)
    target = (out_dir / f"{name}.json").resolve()
    if out_dir.resolve() not in target.parents:
        raise click.UsageError(f"refusing to write outside {out_dir}")
    return target


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vbextract")
def main() -> None:
    """Structured JSON from Vietnamese administrative documents."""


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", type=click.Path(), help="Output file (one input) or folder (several inputs or a folder).")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar for batches (default: when stderr is a terminal)."
)
@click.option(
    "--ocr",
    "ocr_mode",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="OCR pages without a usable text layer (auto), every page of a PDF (always), or none (never).",
)
def extract_cmd(inputs: tuple[str, ...], out: str | None, progress: bool | None, ocr_mode: str) -> None:
    """Extract FILE(s) to JSON: one file prints to stdout (or -o FILE); a folder or
    several files write one <name>.json each into the -o folder."""
    files = _expand(inputs)
    single = len(inputs) == 1 and not Path(inputs[0]).is_dir()
    if single:
        try:
            doc = extract(files[0], ocr_mode)
        except errors.VbeError as e:
            _fail(e)
        except Exception as e:  # a bug of ours: still one line, never a traceback
            click.echo(f"vbextract: error: {files[0].name}: internal error ({type(e).__name__}: {e})", err=True)
            sys.exit(1)
        text = to_json(doc)
        if out and not Path(out).is_dir():
            Path(out).write_text(text, encoding="utf-8")
        elif out:
            (Path(out) / f"{files[0].name}.json").write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    if not out:
        raise click.UsageError("several inputs need -o/--out FOLDER")
    try:
        code = _batch(files, Path(out), progress, ocr_mode)
    except errors.InstallationError as e:
        _fail(e)
    sys.exit(code)


def _batch(files: list[Path], out_dir: Path, progress: bool | None, ocr_mode: str = "auto") -> int:
    """Extract every file into ``out_dir`` and write ``_manifest.jsonl``; returns the exit code.
    An installation error stops the batch (after writing the manifest so far)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    records: list[dict[str, str]] = []
    show = sys.stderr.isatty() if progress is None else progress
    bar = click.progressbar(files, label="extracting", file=sys.stderr) if show else nullcontext(files)
    try:
        with bar as items:
            for f in items:
                records.append(_batch_one(f, _out_path(out_dir, f, used), ocr_mode))
    finally:
        manifest = out_dir / "_manifest.jsonl"
        manifest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    failed = sum(1 for r in records if r["status"] != "ok")
    click.echo(f"{len(files) - failed} extracted, {failed} failed -> {out_dir}", err=True)
    return BATCH_FAILED if failed else 0


@main.command("explain")
@click.argument("file", type=click.Path())
@click.option("--ocr", "ocr_mode", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
def explain_cmd(file: str, ocr_mode: str) -> None:
    """Why each task is a task: the form or layout that made it, the paragraph or row it
    came from, and why each unit was taken as lead or support."""
    from .explain import explain

    try:
        click.echo(explain(file, ocr_mode), nl=False)
    except errors.VbeError as e:
        _fail(e)


def _batch_one(f: Path, target: Path, ocr_mode: str) -> dict[str, str]:
    """One file of a batch -> its manifest record; an error is one line on stderr."""
    try:
        target.write_text(to_json(extract(f, ocr_mode)), encoding="utf-8")
        return {"file": str(f), "output": target.name, "status": "ok"}
    except errors.InstallationError:
        raise
    except errors.VbeError as e:
        click.echo(f"vbextract: error: {e.path}: {e.reason}", err=True)
        return {"file": str(f), "status": "error", "code": e.code, "reason": e.reason}
    except Exception as e:  # a bug of ours: never stop a batch on one document
        click.echo(f"vbextract: error: {f.name}: internal error ({type(e).__name__}: {e})", err=True)
        return {"file": str(f), "status": "error", "code": "E999", "reason": f"{type(e).__name__}: {e}"}


@main.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the output (generated from the pydantic models)."""
    click.echo(json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=1))


# the index across documents (index, search, serve) and the review page: vbextract/index/commands.py
def _add_index_commands() -> None:
    from .index.commands import COMMANDS

    for cmd in COMMANDS:
        main.add_command(cmd)


_add_index_commands()
