"""Automation rules: a trigger (what happened to a fan), conditions in the segment rule language,
an action chain, pausable, with an autonomy policy (model.py); the fans a rule fires for, once per
fan and period (triggers.py, firing.py); the rules' store (store.py), their run history
(history.py), the actions that stay inside the CRM (effects.py) and the limits within which an
outbound action may skip the approval gate (autonomy.py). What reaches a fan goes through the
gate: agent/automations.py carries the chain out."""
