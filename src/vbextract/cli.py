"""Command line: ``vbextract extract FILE... [-o OUT]``, ``vbextract batch INPUT... -o OUT``
(``batch/command.py``), ``vbextract explain FILE`` and ``vbextract schema``.

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
from pathlib import Path
from typing import NoReturn

import click

from . import errors
from .batch.command import batch_cmd, run_extract_batch
from .batch.inputs import SUFFIXES, expand

__all__ = ["main", "SUFFIXES"]  # SUFFIXES: the input suffixes a folder is searched for
from .pipeline import extract, to_json
from .schema import Document


def _fail(e: errors.VbeError) -> NoReturn:
    click.echo(f"vbextract: error: {e.path}: {e.reason}", err=True)
    sys.exit(e.exit_code)


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
    files = expand(inputs)
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
    run_extract_batch(files, Path(out), progress, ocr_mode)  # the batch's code, JSON only


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


main.add_command(batch_cmd)


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
