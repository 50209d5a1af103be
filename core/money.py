"""Money, the one way: reading an amount however people write it, and showing it as the
page's language writes it. Every app, form, import and template uses these; never a copy.

Amounts are `Decimal` in EUR with two decimals (`DecimalField(max_digits=14, decimal_places=2)`).
"""

from decimal import Decimal

CENT = Decimal("0.01")

# --- Parsing ------------------------------------------------------------------


# --- Display ------------------------------------------------------------------
