"""The fan-CRM domain: what is known about fans and what happens to them.

fans/           the searchable list, the dossier, profile and scores, purchases, platform
                accounts found or created by (platform, platform fan id)
conversation.py fan_messages: the inbound message, drafts, the recent conversation, the outbox
intelligence/   figures, stages, temperature and scores recomputed from the ledgers; segments,
                the priority inbox, smart alerts, PPV price suggestions
webhooks/       platform events (subscriptions, money, messages) into the CRM, HMAC-signed
prices.py       the bounds of every price offered

It imports only db/, auth/ and memory/: the agent and its tools build on it, never the other
way round.
"""
