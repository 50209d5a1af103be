"""Helpers of the organisations tests: a valid organisation form and a small PNG."""

import io

from PIL import Image

from core.models import Municipality, Sector


def png_bytes(size=(16, 16)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buf, format="PNG")
    return buf.getvalue()


def org_form_data(**overrides) -> dict:
    """A valid POST for the organisation form."""
    data = {
        "name": "Zëri i të Rinjve",
        "kind": "cso",
        "registration_number": "7100001",
        "municipality": Municipality.objects.get(slug="prishtine").pk,
        "sectors": [s.pk for s in Sector.objects.order_by("pk")[:2]],
        "description": "Youth voice in Prishtinë.",
        "email": "info@zeri.org",
        "phone": "+383 44 123 456",
        "website": "https://zeri.org",
        "address": "Rr. Nënë Tereza 1",
        "founded_year": "2010",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
