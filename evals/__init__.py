"""Offline evaluation of prompts and models: datasets, scorers, runner, reports."""
