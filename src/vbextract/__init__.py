"""vbextract: structured, auditable JSON from Vietnamese administrative documents.

>>> import vbextract
>>> doc = vbextract.extract("samples/000_b6dc9c9248918c92.txt")
>>> doc.meta.doc_type
'KH'
"""

from .errors import VbeError
from .pipeline import extract, to_json
from .schema import SCHEMA_VERSION, Document

__all__ = ["extract", "to_json", "Document", "VbeError", "SCHEMA_VERSION"]
__version__ = "0.1.0"
