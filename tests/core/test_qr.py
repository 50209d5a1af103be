"""core.qr: a QR code as inline SVG that decodes back to its data."""

import re

from core.qr import svg


def test_svg_is_inline_scalable_and_titled():
    out = svg("ABCDEFGH23", title="Code <1>")
    assert out.startswith("<svg") and "<?xml" not in out
    assert 'viewBox="' in out and 'width="' not in out.split(">", 1)[0]
    assert "<title>Code &lt;1&gt;</title>" in out
    assert "style=" not in out  # CSP: no inline style


def test_same_data_same_code_and_different_data_different_code():
    assert svg("ABC") == svg("ABC")
    assert re.sub(r"<title>.*?</title>", "", svg("ABC")) != svg("ABD")
