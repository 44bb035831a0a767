"""Broadcasts (message_broadcasts, message_broadcast_deliveries): one template sent to a
segment's fans, each message rendered with that fan's own data, some fans left out (exclusions),
every message through the outbound guard, one delivery row per fan, conversions attributed.

store.py holds the SQL, audience.py who gets what (the dry run and the delivery share it),
delivery.py what the job does once the broadcast is approved (agent/broadcasts.py: the gate)."""
