from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from omniretail.kernel import migrate
from omniretail.metadata import metadata
from tests.support.postgres import create_database


def _assert_schema_matches_models(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}), metadata)
        assert diff == []
        assert migrate.is_current(engine)
        assert set(inspect(engine).get_table_names()) >= {t.name for t in metadata.sorted_tables}
    finally:
        engine.dispose()


def test_migrations_build_the_whole_schema_from_empty_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"

    migrate.upgrade(url)

    _assert_schema_matches_models(url)


def test_migrations_build_the_whole_schema_from_empty_on_postgresql(postgres_server):
    url = create_database(postgres_server, "omniretail_migrations_from_empty")

    migrate.upgrade(url)

    _assert_schema_matches_models(url)
