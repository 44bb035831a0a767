"""Per-fan voice personas: model, defaults, rendering and the post-check of a draft."""
