"""Backups that lose nothing: one archive holding the database, the uploaded media and the secret key.

The database is read as one consistent snapshot while the site keeps writing: SQLite's online backup
API, or `pg_dump` on PostgreSQL. A plain copy of a SQLite file in WAL mode can miss rows that are
committed but still in the -wal file. An archive is written under a temporary name and renamed when
complete, so a file with the archive's name is always a whole backup.
"""

import datetime as dt
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings

FORMAT = "cercle-backup"
FORMAT_VERSION = 1
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
MANIFEST = "manifest.json"
MEDIA = "media"
SECRET_KEY_FILE = "secret_key"
DATABASE_FILES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
ARCHIVE_NAME = re.compile(r"^cercle-backup-(\d{8}T\d{6}Z)(?:-(\d+))?\.tar\.gz$")

NOT_AN_ARCHIVE = "{path} is not a Cercle backup archive"
ARCHIVE_MISSING = "There is no file at {path}."
NEWER_FORMAT = "{path} was written by a newer Cercle (backup format {version}); upgrade Cercle to restore it."
WRONG_ENGINE = "{path} holds a {archive} database but the settings name a {target} database."
UNSUPPORTED_ENGINE = "Backups support SQLite and PostgreSQL, not {engine}."
IN_MEMORY = "An in-memory SQLite database cannot be backed up or restored."
DATABASE_MISSING = "There is no SQLite database at {path}."
NOT_EMPTY = "The database {name} is not empty; restoring would replace its data. Use --force to replace it."
TOOL_MISSING = "{tool} is not installed or not on the PATH; install PostgreSQL's client tools."
TOOL_FAILED = "{tool} failed: {error}"
CANNOT_CONNECT = "Cannot open the database {name}: {error}"
CORRUPT_DATABASE = "The database in {path} is damaged: {error}"
KEEP_AT_LEAST_ONE = "Keep at least one backup (keep={keep})."
INSIDE_MEDIA = "Backups cannot go to {path}: it is inside MEDIA_ROOT, so each backup would hold the previous ones."

# libpq's keywords and the environment variables pg_dump and pg_restore read them from: the password
# stays out of the command line, where other users of the machine could read it.
LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message tells the operator why."""


def _not_an_archive(path: Path, reason: str) -> BackupError:
    return BackupError(f"{NOT_AN_ARCHIVE.format(path=path)} ({reason}).")


@dataclass(frozen=True)
class Restored:
    manifest: dict
    media_files: int
    # False when the archive has no key, or SECRET_KEY comes from the environment (see secret_key_skipped).
    secret_key_restored: bool
    secret_key_skipped: bool


def backup_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.VAR_DIR / "backups"))


def backup_keep() -> int:
    return int(getattr(settings, "BACKUP_KEEP", 14))


def backup_create(*, output_dir: Path | None = None, database: dict | None = None) -> Path:
    """Write one archive into output_dir (BACKUP_DIR by default) and return its path."""
    database = database or settings.DATABASES["default"]
    engine = _engine(database)
    output_dir = Path(output_dir or backup_dir())
    if output_dir.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(INSIDE_MEDIA.format(path=output_dir))
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    # Staged beside the archives, not in /tmp: the disk that holds them has room for a database copy.
    with tempfile.TemporaryDirectory(prefix=".cercle-backup-", dir=output_dir) as staging:
        dump = Path(staging) / DATABASE_FILES[engine]
        if engine == SQLITE:
            _sqlite_dump(database, dump)
        else:
            _pg_dump(database, dump)
        key = _secret_key_in_use()
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "engine": engine,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "database": dump.name,
            "media": Path(settings.MEDIA_ROOT).is_dir(),
            "secret_key": key is not None,
        }
        partial = output_dir / f".cercle-backup-{now:%Y%m%dT%H%M%SZ}-{os.getpid()}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as file:
                _write_tar(file, manifest=manifest, dump=dump, key=key)
                file.flush()
                os.fsync(file.fileno())
            archive = _free_name(output_dir, now)
            os.replace(partial, archive)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _fsync_dir(output_dir)
    return archive


def backups_prune(*, output_dir: Path | None = None, keep: int | None = None) -> list[Path]:
    """Delete all but the newest `keep` archives (BACKUP_KEEP by default); return the deleted ones."""
    keep = backup_keep() if keep is None else keep
    if keep < 1:
        raise BackupError(KEEP_AT_LEAST_ONE.format(keep=keep))
    output_dir = Path(output_dir or backup_dir())
    if not output_dir.is_dir():
        return []
    archives = sorted((p for p in output_dir.iterdir() if p.is_file() and _archive_key(p)), key=_archive_key)
    doomed = archives[:-keep]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def backup_restore(*, archive: Path, force: bool = False, database: dict | None = None) -> Restored:
    """Bring an archive back into the database the settings name (or `database`), its media and its key.

    Refuses a database that holds tables unless `force`. Everything is checked before anything is written.
    """
    archive = Path(archive)
    database = database or settings.DATABASES["default"]
    engine = _engine(database)
    if not archive.is_file():
        raise BackupError(ARCHIVE_MISSING.format(path=archive))
    try:
        with (
            tempfile.TemporaryDirectory(prefix=".cercle-restore-", dir=settings.VAR_DIR) as staging,
            tarfile.open(archive, "r:gz") as tar,
        ):
            manifest = _read_manifest(tar, archive)
            if manifest["engine"] != engine:
                raise BackupError(WRONG_ENGINE.format(path=archive, archive=manifest["engine"], target=engine))
            if not force and not _is_empty(database, engine):
                raise BackupError(NOT_EMPTY.format(name=database["NAME"]))
            # "data" refuses absolute paths, "..", links leaving the folder, devices and setuid bits.
            tar.extractall(staging, filter="data")
            dump = Path(staging) / manifest["database"]
            if engine == SQLITE:
                _sqlite_load(dump, database, archive)
            else:
                _pg_load(dump, database, clean=force)
            media_files = _restore_media(Path(staging) / MEDIA)
            restored, skipped = _restore_secret_key(Path(staging) / SECRET_KEY_FILE)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _not_an_archive(archive, str(exc) or type(exc).__name__) from exc
    return Restored(
        manifest=manifest, media_files=media_files, secret_key_restored=restored, secret_key_skipped=skipped
    )


# --- Archives


def _write_tar(file, *, manifest: dict, dump: Path, key: str | None) -> None:
    # Level 6: nearly the size of 9 at a fraction of the time; most media are already compressed.
    with tarfile.open(fileobj=file, mode="w:gz", compresslevel=6) as tar:
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
        tar.add(dump, arcname=dump.name)
        if manifest["media"]:
            tar.add(settings.MEDIA_ROOT, arcname=MEDIA)
        if key is not None:
            _add_bytes(tar, SECRET_KEY_FILE, key.encode(), mode=0o600)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError) as exc:
        raise _not_an_archive(archive, "no manifest") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_an_archive(archive, "unknown manifest")
    if not isinstance(manifest.get("version"), int) or manifest["version"] > FORMAT_VERSION:
        raise BackupError(NEWER_FORMAT.format(path=archive, version=manifest.get("version")))
    if DATABASE_FILES.get(manifest.get("engine")) != manifest.get("database"):
        raise _not_an_archive(archive, "unknown database engine")
    try:
        tar.getmember(manifest["database"])
    except KeyError as exc:
        raise _not_an_archive(archive, "no database in it") from exc
    return manifest


def _free_name(output_dir: Path, now: dt.datetime) -> Path:
    # Two backups in the same second get -1, -2…: never overwrite an archive.
    stem, suffix = f"cercle-backup-{now:%Y%m%dT%H%M%SZ}", 0
    while (path := output_dir / f"{stem}{f'-{suffix}' if suffix else ''}.tar.gz").exists():
        suffix += 1
    return path


def _archive_key(path: Path) -> tuple[str, int] | None:
    match = ARCHIVE_NAME.match(path.name)
    return (match[1], int(match[2] or 0)) if match else None


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the folder itself is written out.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- Media and the secret key


def _secret_key_in_use() -> str | None:
    """var/secret_key's content when it is the key in use; never a key that comes from the environment."""
    if os.environ.get("SECRET_KEY"):
        return None
    path = Path(settings.VAR_DIR) / SECRET_KEY_FILE
    if not path.is_file():
        return None
    key = path.read_text().strip()
    return key if key == settings.SECRET_KEY else None


def _restore_media(staged: Path) -> int:
    if not staged.is_dir():
        return 0
    # Merged into what is there: a restore adds and replaces files, it never deletes one.
    shutil.copytree(staged, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return sum(1 for p in staged.rglob("*") if p.is_file())


def _restore_secret_key(staged: Path) -> tuple[bool, bool]:
    """(restored, skipped): the archive's key replaces var/secret_key unless SECRET_KEY is in the environment."""
    if not staged.is_file():
        return False, False
    if os.environ.get("SECRET_KEY"):
        return False, True
    target = Path(settings.VAR_DIR) / SECRET_KEY_FILE
    partial = target.with_name(f".{target.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(staged.read_text().strip())
    os.replace(partial, target)
    return True, False


# --- Databases


def _engine(database: dict) -> str:
    engine = database.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        if _sqlite_in_memory(database):
            raise BackupError(IN_MEMORY)
        return SQLITE
    if "postgresql" in engine or "postgis" in engine:
        return POSTGRESQL
    raise BackupError(UNSUPPORTED_ENGINE.format(engine=engine or "no engine"))


def _sqlite_in_memory(database: dict) -> bool:
    name = str(database.get("NAME") or ":memory:")
    return name == ":memory:" or "mode=memory" in name


def _sqlite_dump(database: dict, dump: Path) -> None:
    path = Path(database["NAME"])
    if not path.is_file():
        raise BackupError(DATABASE_MISSING.format(path=path))
    # mode=rw: never create an empty database where the real one was expected.
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    target = sqlite3.connect(dump)
    try:
        # One step (pages=-1) copies a single snapshot; stepping page by page restarts on every write.
        source.backup(target)
        # The copy stands alone: no -wal file to carry.
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(CANNOT_CONNECT.format(name=path, error=exc)) from exc
    finally:
        target.close()
        source.close()


def _sqlite_load(dump: Path, database: dict, archive: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        check = source.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        check = str(exc)
    if check != "ok":
        source.close()
        raise BackupError(CORRUPT_DATABASE.format(path=archive, error=check))
    path = Path(database["NAME"])
    path.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(path, timeout=30)
    try:
        # Written through SQLite into the target, so its -wal and -shm files stay consistent with it.
        source.backup(target)
        if target.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise BackupError(CANNOT_CONNECT.format(name=path, error=exc)) from exc
    finally:
        target.close()
        source.close()


def _is_empty(database: dict, engine: str) -> bool:
    if engine == SQLITE:
        path = Path(database["NAME"])
        if not path.is_file() or path.stat().st_size == 0:
            return True
        try:
            with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
                tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        except sqlite3.Error as exc:
            raise BackupError(CANNOT_CONNECT.format(name=path, error=exc)) from exc
        return tables == 0
    try:
        with psycopg.connect(**_libpq(database), autocommit=True) as connection:
            tables = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
    except psycopg.Error as exc:
        raise BackupError(CANNOT_CONNECT.format(name=database["NAME"], error=exc)) from exc
    return tables == 0


def _libpq(database: dict) -> dict[str, str]:
    params = {
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "dbname": database.get("NAME"),
    }
    params |= {k: v for k, v in (database.get("OPTIONS") or {}).items() if k in LIBPQ_ENV}
    return {k: str(v) for k, v in params.items() if v not in (None, "")}


def _pg_env(database: dict) -> dict[str, str]:
    # What the settings leave out (a PGPASSWORD of the container, say) is read from the environment,
    # as the app's own connection reads it.
    return dict(os.environ) | {LIBPQ_ENV[k]: v for k, v in _libpq(database).items()}


def _pg_dump(database: dict, dump: Path) -> None:
    # pg_dump reads one snapshot (a repeatable-read transaction): rows committed later are not in it.
    _run(["pg_dump", "--format=custom", "--no-password", f"--file={dump}"], env=_pg_env(database))


def _pg_load(dump: Path, database: dict, *, clean: bool) -> None:
    # One transaction: a restore that fails leaves the database as it was.
    command = ["pg_restore", "--no-owner", "--no-password", "--single-transaction", f"--dbname={database['NAME']}"]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump)], env=_pg_env(database))


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(TOOL_MISSING.format(tool=command[0])) from exc
    if result.returncode != 0:
        raise BackupError(TOOL_FAILED.format(tool=command[0], error=result.stderr.strip() or result.returncode))
