"""The bounds of every price the CRM offers: no PPV, custom or discount is priced above this."""

MAX_PRICE = 10_000  # dollars
