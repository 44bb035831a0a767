"""PostgreSQL: settings, the embedded server, connections, migrations and demo data."""
