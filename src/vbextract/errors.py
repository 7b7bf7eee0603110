"""Errors with codes.  Library code raises ``VbeError``; the CLI turns it into
one line on stderr and an exit code (see README, "Exit codes")."""

from __future__ import annotations


class VbeError(Exception):
    """A document that cannot be read.  ``code`` is stable, ``exit_code`` is the CLI's."""

    code = "E000"
    exit_code = 1

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class NotFound(VbeError):
    code = "E001"
    exit_code = 3


class EmptyFile(VbeError):
    code = "E002"
    exit_code = 4


class UnsupportedFormat(VbeError):
    code = "E003"
    exit_code = 5


class CorruptFile(VbeError):
    code = "E004"
    exit_code = 6


class EncryptedFile(VbeError):
    code = "E005"
    exit_code = 7


class TooLarge(VbeError):
    code = "E006"
    exit_code = 8


class InstallationError(VbeError):
    """A data file of vbextract itself (under ``models/``) is missing or broken:
    not a property of the input file.  ``path`` names the data file."""

    code = "E007"
    exit_code = 10


# Warning codes written into the JSON ``warnings`` list, in code order.
W_EXTENSION = "W100"  # the extension does not match the content; read by content
W_NO_TEXT_LAYER = "W101"  # a PDF page has no text layer (needs OCR)
W_GARBLED_TEXT = "W102"  # a PDF page's text layer is garbage ((cid:NN), broken font map)
W_LEGACY_ENCODING = "W103"  # bytes were not UTF-8/UTF-16; decoded as a legacy code page
W_LEGACY_FONT = "W104"  # legacy TCVN3/VNI font text converted to Unicode
W_TABLE_MERGED = "W105"  # a table split across pages was merged back
W_BOILERPLATE = "W106"  # website boilerplate removed
W_SPLIT_LETTERS = "W107"  # letters split by spaces in the source ("t ỉ nh")
# W201 (header field missing or inconsistent) was never emitted and is retired; do not reuse it.
W_STAMP = "W202"  # number/date read from the e-signature stamp, not the printed header
W_DISTRICT_AFTER_2025 = "W203"  # a district-level body named in a document dated after 1 July 2025
W_DEADLINE_YEAR = "W204"  # a deadline read with a year (or interval) taken from context
W_NOT_ADMINISTRATIVE = "W205"  # no type, number or distribution list: not an administrative document; no tasks
