"""Fan intelligence: per-fan figures, stages, temperature and scores recomputed from the
ledgers (refresh.py: every fan of a creator, or one fan when an event arrives), dynamic
segments, the priority inbox, smart alerts and PPV price suggestions.

Every function runs on the caller's connection inside `db.connect.creator_scope` (row-level
security decides which creator's fans it sees) and takes `as_of` (default: now).
"""

from crm.intelligence.refresh import FanRefresh, RecomputeReport, recompute_creator, refresh_fan

__all__ = ["FanRefresh", "RecomputeReport", "recompute_creator", "refresh_fan"]
