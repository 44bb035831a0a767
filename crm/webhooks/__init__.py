"""Platform webhooks: OnlyFans, Fansly and Fanvue push subscription, money and message events,
signed per creator, into the fan CRM (`POST /v1/webhooks/{platform}`, routes.py).

signature.py  HMAC-SHA256 over "<timestamp>.<body>", the replay window, new secrets
events.py     the event models (a union discriminated on `type`)
delivery.py   one delivery from headers to committed rows, in the creator's scope
ingest.py     what each event writes (fan, transaction, subscription, message)
store.py      secrets and the received-events log (idempotency)
routes.py     the HTTP route and its connection pool
commands.py   `fanagent webhooks secret`: create or rotate a creator's secret
"""
