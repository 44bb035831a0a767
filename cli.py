"""The `fanagent` command line."""

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from agent.automation_commands import register as register_rules
from agent.broadcast_commands import register as register_broadcasts
from agent.commands import register as register_agent
from agent.intent.commands import register as register_intent
from agent.worker import register as register_worker
from auth.commands import register as register_auth
from auth.operator import CommandFailed, Handler, UsageError, positive_int, run_command
from bench.commands import register as register_bench
from crm.intelligence.commands import register as register_intelligence
from crm.webhooks.commands import register as register_webhooks
from db import connect, embedded, migrate, versions
from db.settings import DatabaseSettings
from evals.commands import register as register_evals
from memory import backfill
from memory.commands import register as register_memories
from memory.embedders import EmbeddingError, build_embedder
from personas.commands import register as register_personas


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command: 0 on success, 2 when called wrongly, 1 when it could not do it (a few
    commands also return 1 for a result, e.g. `personas check` when the draft breaks a rule)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return run_command(handler, args, failures=(migrate.MigrationError,))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fanagent", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="the database: up, down, migrate, status, reset")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    db_commands.add_parser(
        "up", help="start the embedded server (no-op with DATABASE_URL)"
    ).set_defaults(handler=db_up)
    db_commands.add_parser("down", help="stop the embedded server").set_defaults(handler=db_down)
    db_commands.add_parser("migrate", help="apply pending migrations").set_defaults(
        handler=db_migrate
    )
    db_commands.add_parser("status", help="versions and migrations").set_defaults(handler=db_status)
    reset = db_commands.add_parser("reset", help="drop every table and migrate again")
    reset.add_argument("--yes", action="store_true", help="really delete all data")
    reset.set_defaults(handler=db_reset)

    seed = commands.add_parser("seed", help="load deterministic demo data")
    seed.add_argument("--creators", type=positive_int, default=2)
    seed.add_argument("--fans", type=positive_int, default=200, help="fans per creator")
    seed.add_argument("--seed", type=int, default=7, help="random seed: same seed, same data")
    seed.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=dt.datetime.now(dt.UTC).date(),
        help="the day the generated histories end (YYYY-MM-DD; default today)",
    )
    seed.add_argument("--if-empty", action="store_true", help="do nothing if creators exist")
    seed.set_defaults(handler=seed_demo)

    register_intent(commands)
    register_memories(commands)
    register_personas(commands)
    register_agent(commands)
    register_auth(commands)
    register_webhooks(commands)
    register_intelligence(commands)
    register_rules(commands)
    register_evals(commands)
    register_bench(commands)
    register_worker(commands)
    register_broadcasts(commands)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=serve_api)
    return parser


def db_up(_: argparse.Namespace) -> int:
    target = connect.resolve()
    where = "embedded server" if target.embedded else "DATABASE_URL"
    print(f"database ready ({where}): {target.admin_url}")
    return 0


def db_down(_: argparse.Namespace) -> int:
    settings = DatabaseSettings()
    if settings.database_url:
        print("DATABASE_URL is set: nothing embedded to stop")
        return 0
    print("stopped" if embedded.stop(settings.pgdata) else "not running")
    return 0


def db_migrate(_: argparse.Namespace) -> int:
    settings = DatabaseSettings()
    target = connect.resolve(settings)
    password = settings.app_db_password.get_secret_value() if settings.app_db_password else None
    applied = migrate.migrate(target.admin_url, password)
    for migration in applied:
        print(f"applied {migration.version:04d}_{migration.name}")
    print(f"{len(applied)} migration(s) applied; schema is current")
    _embed_missing_memories(target)
    return 0


def _embed_missing_memories(target: connect.DatabaseTarget) -> None:
    """Memories written before each write carried its vector get one now, and the database
    then refuses any without (migration 0019, memory/backfill.py); a no-op once it does."""
    try:
        done = backfill.ensure_embedded(target, build_embedder)
    except EmbeddingError as error:
        raise CommandFailed(f"memories without an embedding stay so: {error}") from error
    if done.total:
        print(f"embedded {done.total} memories that had no embedding")
    if not done.enforced:
        raise CommandFailed(
            "some memories still have no embedding (creators the admin cannot see under"
            " row-level security): run `fanagent memories embed-missing --creator ID` for each"
        )


def db_status(_: argparse.Namespace) -> int:
    target = connect.resolve()
    found = versions.server_versions(target.admin_url)
    print(f"postgres {found.postgres}, pgvector {found.pgvector or 'not installed'}")
    for entry in migrate.status(target.admin_url):
        state = entry.applied_at.isoformat() if entry.applied_at else "pending"
        print(f"{entry.migration.version:04d}_{entry.migration.name}: {state}")
    return 0


def db_reset(args: argparse.Namespace) -> int:
    if not args.yes:
        raise UsageError("db reset deletes all data; run it again with --yes")
    target = connect.resolve()
    migrate.drop_everything(target.admin_url)
    applied = migrate.migrate(target.admin_url)
    print(f"database emptied; {len(applied)} migration(s) applied")
    return 0


def seed_demo(args: argparse.Namespace) -> int:
    from db.demo import seed_demo as load_demo

    target = connect.resolve()
    try:
        report = load_demo(
            target.admin_url,
            creators=args.creators,
            fans_per_creator=args.fans,
            seed=args.seed,
            as_of=args.as_of,
            embedder=build_embedder,
            if_empty=args.if_empty,
            progress=print,
        )
    except EmbeddingError as error:
        raise CommandFailed(f"the demo memories could not be embedded: {error}") from error
    if report.skipped:
        print("demo data already present; nothing seeded")
        return 0
    rows = ", ".join(f"{table} {count}" for table, count in sorted(report.rows.items()))
    print(f"seeded {report.creators} creator(s) in {report.seconds:.1f} s: {rows}")
    print(
        f"embedded {report.memory_texts} distinct memory texts in"
        f" {report.embedding_seconds:.1f} s (model load included)"
    )
    return 0


def serve_api(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run("server:app", host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
