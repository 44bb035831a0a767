"""A long-conversation memory benchmark: seeded fan-creator conversations over months, questions
with labelled evidence turns (generate.py), scored against the product's memory (score.py)."""
