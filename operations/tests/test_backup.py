"""Backups and restores, on databases these tests create: the suite's own test database stays out of it.

The engine-specific tests run on the engine the suite runs on (the CI runs the suite on both)."""

import io
import json
import re
import secrets
import sqlite3
import stat
import tarfile
import threading
import time
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from operations import backup
from operations.backup import (
    ARCHIVE_MISSING,
    NOT_AN_ARCHIVE,
    NOT_EMPTY,
    POSTGRESQL,
    SQLITE,
    WRONG_ENGINE,
    BackupError,
    backup_create,
    backup_restore,
    backups_prune,
)

SQLITE_ENGINE = "django.db.backends.sqlite3"


def _suite_engine() -> str:
    return POSTGRESQL if "postgresql" in django_settings.DATABASES["default"]["ENGINE"] else SQLITE


@pytest.fixture
def var(tmp_path, settings, monkeypatch) -> Path:
    """A var/ folder of the test's own, with a generated secret key that is the key in use."""
    var = tmp_path / "var"
    (var / "media" / "photos").mkdir(parents=True)
    (var / "media" / "photos" / "camille.jpg").write_bytes(b"\xff\xd8 a photo")
    key = secrets.token_urlsafe(50)
    (var / "secret_key").write_text(key)
    (var / "secret_key").chmod(0o600)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    settings.BACKUP_DIR = var / "backups"
    settings.SECRET_KEY = key
    return var


class SqliteScratch:
    def __init__(self, folder: Path):
        self.folder = folder

    def create(self) -> dict:
        path = self.folder / f"scratch-{secrets.token_hex(4)}.sqlite3"
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        return {"ENGINE": SQLITE_ENGINE, "NAME": path}

    def connect(self, database: dict):
        return closing(sqlite3.connect(database["NAME"], timeout=10))

    def fill_ballast(self, connection) -> None:
        # Megabytes that do not compress, so the backup lasts long enough for writes to happen during it.
        connection.execute("CREATE TABLE ballast (data BLOB)")
        connection.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8) "
            "INSERT INTO ballast SELECT randomblob(1048576) FROM n"
        )

    def drop_all(self) -> None:
        pass


class PostgresScratch:
    def __init__(self):
        self.names: list[str] = []
        self.default = django_settings.DATABASES["default"]

    def params(self, name: str) -> dict:
        params = {"host": self.default.get("HOST"), "port": self.default.get("PORT"), "dbname": name}
        params |= {"user": self.default.get("USER"), "password": self.default.get("PASSWORD")}
        return {k: v for k, v in params.items() if v not in (None, "")}

    def admin(self):
        return psycopg.connect(**self.params("postgres"), autocommit=True)

    def create(self) -> dict:
        name = f"cercle_backup_scratch_{secrets.token_hex(4)}"
        with self.admin() as connection:
            connection.execute(f"CREATE DATABASE {name}")
        self.names.append(name)
        return {**self.default, "NAME": name}

    def connect(self, database: dict):
        return psycopg.connect(**self.params(database["NAME"]))

    def fill_ballast(self, connection) -> None:
        # pg_dump is a process of its own: starting it lasts long enough already.
        pass

    def drop_all(self) -> None:
        with self.admin() as connection:
            for name in self.names:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=[SQLITE, POSTGRESQL])
def scratch(request, tmp_path):
    if request.param != _suite_engine():
        pytest.skip(f"the {request.param} variant runs when the suite runs on {request.param}")
    made = SqliteScratch(tmp_path) if request.param == SQLITE else PostgresScratch()
    yield made
    made.drop_all()


def _ids(scratch, database: dict) -> set[int]:
    with scratch.connect(database) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM ticks").fetchall()}


def _database_with_rows(scratch, rows: int = 3) -> dict:
    database = scratch.create()
    with scratch.connect(database) as connection:
        connection.execute("CREATE TABLE ticks (id integer PRIMARY KEY)")
        for i in range(1, rows + 1):
            connection.execute(f"INSERT INTO ticks (id) VALUES ({i})")
        connection.commit()
    return database


def test_a_backup_taken_while_rows_are_written_loses_none_committed_before_it_began(var, scratch):
    source, target = scratch.create(), scratch.create()
    with scratch.connect(source) as connection:
        connection.execute("CREATE TABLE ticks (id integer PRIMARY KEY, at text NOT NULL)")
        scratch.fill_ballast(connection)
        connection.commit()
    committed, failures, stop = [], [], threading.Event()

    def write_continuously():
        try:
            with scratch.connect(source) as connection:
                i = 0
                while not stop.is_set():
                    i += 1
                    connection.execute(f"INSERT INTO ticks (id, at) VALUES ({i}, 'now')")
                    connection.commit()
                    # Appended only once the commit returned: every id here is durable.
                    committed.append(i)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    writer = threading.Thread(target=write_continuously)
    writer.start()
    try:
        while len(committed) < 200 and writer.is_alive():
            time.sleep(0.005)
        before = set(committed)
        archive = backup_create(output_dir=var / "backups", database=source)
        written_during = len(committed) - len(before)
    finally:
        stop.set()
        writer.join()
    assert not failures
    assert written_during > 0, "the writer must have kept committing while the backup ran"

    backup_restore(archive=archive, database=target)

    restored = _ids(scratch, target)
    assert before - restored == set()
    # One snapshot: the rows it has are the first ones, without a gap.
    assert restored == set(range(1, max(restored) + 1))


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(var, scratch):
    archive = backup_create(output_dir=var / "backups", database=_database_with_rows(scratch))
    target = _database_with_rows(scratch, rows=10)

    with pytest.raises(BackupError, match=re.escape(NOT_EMPTY.format(name=target["NAME"]))):
        backup_restore(archive=archive, database=target)
    assert _ids(scratch, target) == set(range(1, 11))

    backup_restore(archive=archive, database=target, force=True)
    assert _ids(scratch, target) == {1, 2, 3}


def test_the_archive_is_for_its_owner_only_and_holds_the_media_and_the_key_in_use(var, tmp_path):
    database = _database_with_rows(SqliteScratch(tmp_path))

    archive = backup_create(database=database)

    assert archive.parent == var / "backups"
    assert re.fullmatch(r"cercle-backup-\d{8}T\d{6}Z\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
        key = tar.extractfile("secret_key").read().decode()
    assert {"database.sqlite3", "media/photos/camille.jpg", "secret_key"} <= names
    assert key == django_settings.SECRET_KEY
    assert manifest["engine"] == SQLITE
    assert manifest["created_at"].endswith("Z")
    assert [p.name for p in archive.parent.iterdir()] == [archive.name], "no temporary file is left behind"


def test_it_never_puts_a_key_from_the_environment_in_the_archive(var, tmp_path, settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", settings.SECRET_KEY)

    archive = backup_create(database=_database_with_rows(SqliteScratch(tmp_path)))

    with tarfile.open(archive) as tar:
        assert "secret_key" not in tar.getnames()
        assert json.load(tar.extractfile("manifest.json"))["secret_key"] is False


def test_it_leaves_out_a_key_file_that_is_not_the_key_in_use(var, tmp_path, settings):
    settings.SECRET_KEY = "another key, set some other way"

    archive = backup_create(database=_database_with_rows(SqliteScratch(tmp_path)))

    with tarfile.open(archive) as tar:
        assert "secret_key" not in tar.getnames()


def test_restore_brings_back_the_media_and_the_key(var, tmp_path, settings):
    scratch = SqliteScratch(tmp_path)
    archive = backup_create(database=_database_with_rows(scratch))
    key = settings.SECRET_KEY
    (var / "media" / "photos" / "camille.jpg").unlink()
    (var / "secret_key").write_text("a key generated on the new server")

    restored = backup_restore(archive=archive, database=scratch.create())

    assert (var / "media" / "photos" / "camille.jpg").read_bytes() == b"\xff\xd8 a photo"
    assert restored.media_files == 1
    assert (var / "secret_key").read_text() == key
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600
    assert restored.secret_key_restored


def test_restore_keeps_the_key_file_when_the_environment_sets_the_key(var, tmp_path, monkeypatch):
    scratch = SqliteScratch(tmp_path)
    archive = backup_create(database=_database_with_rows(scratch))
    (var / "secret_key").write_text("the file as it was")
    monkeypatch.setenv("SECRET_KEY", "a key from the environment")

    restored = backup_restore(archive=archive, database=scratch.create())

    assert (var / "secret_key").read_text() == "the file as it was"
    assert restored.secret_key_skipped
    assert not restored.secret_key_restored


def _tar_gz(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(engine: str = SQLITE, database: str = "database.sqlite3") -> bytes:
    return json.dumps({"format": "cercle-backup", "version": 1, "engine": engine, "database": database}).encode()


@pytest.mark.parametrize(
    "members",
    [
        None,
        {"notes.txt": b"hello"},
        {"manifest.json": b"not json"},
        {"manifest.json": json.dumps({"format": "something else"}).encode()},
        {"manifest.json": _manifest()},
    ],
    ids=["not-a-tar", "no-manifest", "bad-manifest", "foreign-manifest", "no-database"],
)
def test_restore_refuses_a_file_that_is_not_a_backup(var, tmp_path, members):
    bad = tmp_path / "cercle-backup-20260101T000000Z.tar.gz"
    if members is None:
        bad.write_bytes(b"just some bytes, not even gzip")
    else:
        _tar_gz(bad, members)
    target = tmp_path / "target.sqlite3"

    with pytest.raises(BackupError, match=re.escape(NOT_AN_ARCHIVE.format(path=bad))):
        backup_restore(archive=bad, database={"ENGINE": SQLITE_ENGINE, "NAME": target})
    assert not target.exists()


def test_restore_refuses_a_missing_file(var, tmp_path):
    missing = tmp_path / "nowhere.tar.gz"
    with pytest.raises(BackupError, match=re.escape(ARCHIVE_MISSING.format(path=missing))):
        backup_restore(archive=missing, database={"ENGINE": SQLITE_ENGINE, "NAME": tmp_path / "t.sqlite3"})


def test_restore_refuses_an_archive_of_another_engine(var, tmp_path):
    archive = _tar_gz(
        tmp_path / "pg.tar.gz",
        {"manifest.json": _manifest(POSTGRESQL, "database.pgdump"), "database.pgdump": b"PGDMP"},
    )

    expected = WRONG_ENGINE.format(path=archive, archive=POSTGRESQL, target=SQLITE)
    with pytest.raises(BackupError, match=re.escape(expected)):
        backup_restore(archive=archive, database={"ENGINE": SQLITE_ENGINE, "NAME": tmp_path / "t.sqlite3"})


def test_restore_refuses_a_path_that_leaves_its_folder(var, tmp_path):
    escaped = f"../escaped-{secrets.token_hex(4)}.txt"
    archive = _tar_gz(
        tmp_path / "evil.tar.gz",
        {"manifest.json": _manifest(), "database.sqlite3": b"", escaped: b"gotcha"},
    )
    target = tmp_path / "target.sqlite3"

    with pytest.raises(BackupError, match=re.escape(NOT_AN_ARCHIVE.format(path=archive))):
        backup_restore(archive=archive, database={"ENGINE": SQLITE_ENGINE, "NAME": target})
    assert not target.exists()
    assert not (var / escaped.removeprefix("../")).exists()


def test_a_failed_backup_leaves_no_archive_behind(var, tmp_path, monkeypatch):
    def fail_halfway(file, **kwargs):
        file.write(b"half an archive")
        raise OSError("disk full")

    monkeypatch.setattr(backup, "_write_tar", fail_halfway)

    with pytest.raises(OSError, match="disk full"):
        backup_create(database=_database_with_rows(SqliteScratch(tmp_path)))
    assert list((var / "backups").iterdir()) == []


def test_two_backups_in_the_same_second_are_both_kept(var, tmp_path):
    database = _database_with_rows(SqliteScratch(tmp_path))

    archives = {backup_create(database=database) for _ in range(3)}

    assert len(archives) == 3
    assert all(a.exists() for a in archives)


def test_prune_keeps_the_newest_archives_and_nothing_else_is_touched(tmp_path):
    names = [
        "cercle-backup-20261205T030000Z.tar.gz",
        "cercle-backup-20261206T030000Z.tar.gz",
        "cercle-backup-20261207T030000Z.tar.gz",
        "cercle-backup-20261207T030000Z-1.tar.gz",
        "cercle-backup-20261204T030000Z.tar.gz",
    ]
    for name in [*names, "notes.txt", "cercle-backup-20200101T000000Z.tar.gz.partial"]:
        (tmp_path / name).write_bytes(b"x")

    deleted = backups_prune(output_dir=tmp_path, keep=2)

    assert sorted(p.name for p in deleted) == sorted([names[0], names[1], names[4]])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [names[2], names[3], "notes.txt", "cercle-backup-20200101T000000Z.tar.gz.partial"]
    )


def test_the_commands_back_up_and_restore_the_database_the_settings_name(var, tmp_path, monkeypatch):
    scratch = SqliteScratch(tmp_path)
    output = tmp_path / "elsewhere"
    output.mkdir()
    (output / "cercle-backup-20200101T000000Z.tar.gz").write_bytes(b"an old one")
    monkeypatch.setitem(django_settings.DATABASES, "default", _database_with_rows(scratch))

    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("backup", "--output", str(output), "--keep", "1", stdout=stdout, stderr=stderr)

    archive = Path(stdout.getvalue().strip())
    assert archive.parent == output
    assert [p.name for p in output.iterdir()] == [archive.name]
    assert "Deleted 1 older archive(s)" in stderr.getvalue()

    target = scratch.create()
    monkeypatch.setitem(django_settings.DATABASES, "default", target)
    stdout = io.StringIO()
    call_command("restore", str(archive), stdout=stdout)
    assert _ids(scratch, target) == {1, 2, 3}
    assert "Restored the sqlite database" in stdout.getvalue()

    with pytest.raises(CommandError, match=re.escape(NOT_EMPTY.format(name=target["NAME"]))):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert _ids(scratch, target) == {1, 2, 3}


def test_the_restore_command_explains_a_file_that_is_not_a_backup(var, tmp_path, monkeypatch):
    monkeypatch.setitem(django_settings.DATABASES, "default", {"ENGINE": SQLITE_ENGINE, "NAME": tmp_path / "t.db"})
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"\xff\xd8 not an archive")

    with pytest.raises(CommandError, match=re.escape(NOT_AN_ARCHIVE.format(path=bad))):
        call_command("restore", str(bad))
