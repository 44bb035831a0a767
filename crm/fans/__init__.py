"""Fans: the searchable list, the dossier, profile and scores, purchases, and the platform
accounts a fan is found or created by."""
