"""Fans as the HTTP API shows them: the searchable list and the dossier."""
