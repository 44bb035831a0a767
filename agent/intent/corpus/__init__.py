"""The generator of evals/datasets/intents.jsonl: hand-written phrase banks, a small template
grammar, fan-style noise, and the seeded build that composes, deduplicates and splits them."""
