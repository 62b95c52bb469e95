"""What a printed guide needs that a screen does not: a QR code leading back to the online guide.

The code is drawn at build time (segno, pure Python) as inline SVG, so the
paper copy carries it without any request, script or image file.
"""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=4096)
def qr_svg(url: str, label: str = "") -> Markup:
    """An inline SVG QR code of ``url`` (error correction M), sized by CSS; ``label`` names it for AT."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=2, svgclass="qr", lineclass=None
    )
    svg = out.getvalue().decode("utf-8").strip()
    name = label or url
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(name)}" ', 1))
