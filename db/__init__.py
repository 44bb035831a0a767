"""Database infrastructure: settings, the embedded PostgreSQL, connections and the creator scope
(row-level security), migrations, the LangGraph checkpoint schema, query-row helpers, throwaway
databases, and the deterministic demo-data generator (demo/). It imports nothing from the rest
of the project."""
