"""Deterministic demo data for the fan CRM: generated from a seed, loaded with COPY.

`seed_demo` is what the CLI calls; `generate` gives the same rows without a database.
"""

from db.demo.generate import generate
from db.demo.load import SeedError, SeedReport, seed_demo

__all__ = ["SeedError", "SeedReport", "generate", "seed_demo"]
