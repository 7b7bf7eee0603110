"""Whose fault an exception caught by a catch-all is.

Readers and the pipeline catch every exception so that a library's failure on
odd input becomes one coded line about the file (``CorruptFile``).  Two kinds
must not be reported that way, because the file is not at fault:

* the installation's: a data file under ``models/`` missing or not parseable
  (``InstallationError``, naming the data file);
* ours: a programming error (``BUG_TYPES``) raised in vbextract's own code.
  It propagates unchanged: the CLI reports it as an internal error, and the
  property tests over arbitrary bytes fail on it instead of accepting it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import yaml

from . import data, errors

BUG_TYPES: tuple[type[BaseException], ...] = (
    AssertionError,
    AttributeError,
    IndexError,
    KeyError,
    NameError,
    TypeError,
    ZeroDivisionError,
)
_PACKAGE = str(Path(__file__).resolve().parent) + os.sep
_LIBRARIES = ("site-packages", "dist-packages")


def is_internal_bug(exc: BaseException) -> bool:
    """A ``BUG_TYPES`` exception whose deepest frame outside the standard library
    is vbextract's own code (an ``IndexError`` raised by ``list[...]`` in our
    code, a ``TypeError`` raised by ``re`` on our ``None``), not a library's."""
    if not isinstance(exc, BUG_TYPES):
        return False
    origin = ""
    tb = exc.__traceback__
    while tb is not None:
        name = str(Path(tb.tb_frame.f_code.co_filename).resolve())
        if name.startswith(_PACKAGE):
            origin = "ours"
        elif any(part in name for part in _LIBRARIES):
            origin = "library"
        tb = tb.tb_next
    return origin == "ours"


def installation_error(exc: BaseException) -> Optional[errors.InstallationError]:
    """The ``InstallationError`` that ``exc`` means, or None: an ``OSError`` on a
    file under ``models/``, or a YAML error (only data files are YAML)."""
    if isinstance(exc, OSError) and data.is_data_file(exc.filename):
        return data.broken(Path(exc.filename), exc)
    if isinstance(exc, yaml.YAMLError):
        mark = getattr(exc, "problem_mark", None)
        where = getattr(mark, "name", "")
        return data.broken(Path(where) if data.is_data_file(where) else data.models_dir(), exc)
    return None


def reraise_unless_input_fault(exc: Exception) -> None:
    """In a catch-all: re-raise ``exc`` when it is our bug, raise its
    ``InstallationError`` when it is the installation's; return otherwise
    (the caller then reports the input file).  An ``InstallationError``
    raised by ``data`` is re-raised too (a catch-all that turns errors into a
    page warning, as OCR's, would swallow it)."""
    if is_internal_bug(exc) or isinstance(exc, errors.InstallationError):
        raise exc
    inst = installation_error(exc)
    if inst is not None:
        raise inst from exc
