"""Versioned prompt templates, rendered within a tiktoken token budget."""
