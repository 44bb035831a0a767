"""Typed tools over the fan-CRM tables and the policy of which ones need approval."""
