"""Message templates (message_templates): a body with variables and platform variants, rendered
with one fan's own data (render.py), stored per creator (store.py), over HTTP (routes.py)."""
