"""Who is acting and for which creator: API users and keys (keys.py, stored as SHA-256 digests),
the HTTP request's caller and its creator scope (access.py), the `fanagent users` / `keys`
commands, and the operator running `fanagent` commands as the database admin (operator.py)."""
