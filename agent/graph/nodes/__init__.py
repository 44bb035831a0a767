"""One node of the drafting graph per module."""
