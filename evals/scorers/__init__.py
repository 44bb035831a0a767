"""Scorers: deterministic checks of what a case produced, aggregated into a suite's figures.
The LLM judge (judge.py) is the one that is not deterministic, and it is optional."""
