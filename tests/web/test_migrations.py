"""The migrations build exactly the schema the models describe, and can be undone."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lms.extensions import db as extensions_db


def test_models_and_migrations_agree(db):
    connection = db.session.connection()  # the test's own: SQLite allows one writer at a time
    differences = compare_metadata(MigrationContext.configure(connection), extensions_db.metadata)
    assert differences == []


def test_downgrade_to_nothing_and_back(tmp_path):
    from lms import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lms.sqlite3'}"})
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        upgrade(directory=directory)
        tables = set(extensions_db.inspect(extensions_db.engine).get_table_names())
        extensions_db.engine.dispose()
    assert {"users", "units", "courses", "lessons", "questions", "quizzes"} <= tables
