"""The temperature ring (fan_profiles.temperature): how recently the fan engaged.

Engagement is the fan's latest inbound message, buy, or subscription start (facts.py). Measured
from then to as_of: under 2 days hot, under 7 warm, under 21 cooling, under 60 cold, otherwise
(or never engaged) ice_cold. The ring is recomputed with the other figures, so it cools as time
passes even without new events.
"""

from datetime import datetime
from typing import Any, Literal

import psycopg
from psycopg import sql

from crm.intelligence.facts import FACTS

Temperature = Literal["hot", "warm", "cooling", "cold", "ice_cold"]
TEMPERATURES: tuple[Temperature, ...] = ("hot", "warm", "cooling", "cold", "ice_cold")
# {last_active} is a column or expression; %(as_of)s the moment.
TEMPERATURE_SQL = sql.SQL("""CASE
    WHEN {last_active} IS NULL THEN 'ice_cold'
    WHEN {last_active} > %(as_of)s - interval '2 days' THEN 'hot'
    WHEN {last_active} > %(as_of)s - interval '7 days' THEN 'warm'
    WHEN {last_active} > %(as_of)s - interval '21 days' THEN 'cooling'
    WHEN {last_active} > %(as_of)s - interval '60 days' THEN 'cold'
    ELSE 'ice_cold' END""")

# The facts carry each fan's stored temperature: only the fans whose ring changed are looked up.
_UPDATE = sql.SQL("""
UPDATE fan_profiles p SET temperature = t.temperature
FROM (
    SELECT f.fan_id, {temperature} AS temperature, f.stored_temperature FROM {facts} f
) t
WHERE p.id = t.fan_id AND t.temperature IS DISTINCT FROM t.stored_temperature
""").format(
    facts=sql.Identifier(FACTS),
    temperature=TEMPERATURE_SQL.format(last_active=sql.SQL("f.last_active_at")),
)


def update(conn: psycopg.Connection[Any], as_of: datetime) -> int:
    """Sets the temperature of every fan in the facts table; returns how many changed."""
    return conn.execute(_UPDATE, {"as_of": as_of}).rowcount
