"""Who is acting and for which creator: API users and keys (keys.py, stored as SHA-256 digests),
the HTTP request's caller and its creator scope (access.py), the creators a user works for
(creators.py) and `GET /v1/me` (routes.py), the `fanagent creators` / `users` / `keys` commands,
and the operator running `fanagent` commands as the admin, naming creators by handle or id
(operator.py)."""
