"""The engine's schema is ours to migrate (0023): it must be the installed procrastinate's."""

from importlib import metadata, resources

from db.migrate import MIGRATIONS_DIR


def test_migration_0023_holds_the_installed_procrastinates_schema() -> None:
    """A procrastinate upgrade without its SQL as a new migration fails here."""
    installed = resources.files("procrastinate").joinpath("sql/schema.sql").read_text()
    migration = (MIGRATIONS_DIR / "0023_job_engine.sql").read_text()
    version = metadata.version("procrastinate")
    assert f"-- procrastinate {version} schema.sql --\n{installed}" in migration
