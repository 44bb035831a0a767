"""Where LangGraph's checkpoints live: the `langgraph` schema, created by migration 0007, with
the tables of langgraph-checkpoint-postgres created by the saver's own migrations."""

from typing import Any

from langgraph.checkpoint.postgres import PostgresSaver
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row

CHECKPOINT_SCHEMA = "langgraph"
# What the saver needs of every connection: autocommit, dict rows, and no prepared statements
# (a pooler in front of the server would mix them up between sessions).
SAVER_CONNECTION_KWARGS: dict[str, Any] = {
    "autocommit": True,
    "row_factory": dict_row,
    "prepare_threshold": None,
}


def checkpoint_url(url: str) -> str:
    """`url` with the search path set to the checkpoint schema."""
    return make_conninfo(url, options=f"-c search_path={CHECKPOINT_SCHEMA}")


def setup_checkpoints(admin_url: str) -> None:
    """Creates or upgrades the saver's tables (idempotent; run by `fanagent db migrate`)."""
    with PostgresSaver.from_conn_string(checkpoint_url(admin_url)) as saver:
        saver.setup()
