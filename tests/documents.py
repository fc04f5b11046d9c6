"""Reading generated documents back in tests: is a PDF tagged (PDF/UA)?"""

from __future__ import annotations

import re
import zlib


def pdf_is_tagged(data: bytes) -> bool:
    """PDF/UA: a structure tree, a document language and the PDF/UA identifier in its metadata
    (looked for inside the compressed streams too)."""
    found: set[bytes] = set()
    wanted = (b"/StructTreeRoot", b"/Lang", b"pdfuaid")
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            body = zlib.decompress(match.group(1))
        except zlib.error:
            body = match.group(1)
        found |= {k for k in wanted if k in body}
    return data.startswith(b"%PDF") and found == set(wanted)
