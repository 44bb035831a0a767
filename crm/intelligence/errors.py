"""Errors the intelligence functions raise; an API route maps them to 404 / 422."""


class NotFound(LookupError):
    """The fan, media item, segment or alert is not the current creator's (or does not exist)."""


class InvalidRequest(ValueError):
    """The request cannot be answered as asked (e.g. a segment name already taken)."""
