"""QR codes as inline SVG (segno, pure Python): a check-in code on a confirmation page or a
ticket, drawn without an image request and without inline style (CSP).

    {{ qr_svg|safe }}  where  qr_svg = core.qr.svg(registration.code, title=...)
"""

import io

import segno


def svg(data: str, *, title: str = "", scale: int = 4, border: int = 2) -> str:
    """An <svg> element (no XML declaration) encoding `data`, error correction M, that scales
    with its container (viewBox, no fixed width); `title` is its accessible name."""
    qr = segno.make(data, error="m", micro=False)
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=scale,
        border=border,
        xmldecl=False,
        svgns=True,
        title=title or None,  # segno escapes it
        svgclass="qr-code",
        lineclass=None,
        omitsize=True,
        dark="#000",
        light="#fff",
    )
    return out.getvalue().decode("utf-8")
