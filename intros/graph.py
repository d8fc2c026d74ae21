"""The graph of accepted connections for "who can introduce me?", kept on disk and memory-mapped.

Built from `Connection` rows (both ends active) into the engine's CSR arrays
(`cercle.engine.paths`), with one tie strength per connection drawn from the two members' private
networks: each side's contact linked to the other member (`Contact.member`) and its interactions
of the last twelve months, each worth 1 on the day and half as much every HALF_LIFE_DAYS. A
connection nobody logged anything about weighs 1; the strength is float32 (4 bytes per edge end).
The strength only orders chains: it is never shown, since it rests on other members' notes.

Where it lives: `<INTRO_GRAPH_DIR or VAR_DIR/cache/intro-graph>/<version>/` as .npy files plus a
`meta.json`; the version stamp ("<build start in ns>-<random>") of the graph built last is in the
shared cache. Each web process asks the cache for the stamp (one lookup, the cheap staleness
check), memory-maps that version's files once and keeps it until the stamp changes, so the
operating system's page cache holds one copy for every process on the machine. A machine that
lacks the files (a task worker elsewhere built them) builds the same version for itself.

When it is rebuilt: a connection saved or deleted (a block or an account deletion deletes
connections too) records the time of the change in the cache and queues `intros.tasks.graph_refresh`
after the commit (at most one queued at a time). A process that finds a change older than
STALE_AFTER_SECONDS not yet in the graph (the worker is late or down) rebuilds it itself.

The graph may lag behind the database, never the paths shown: `intros.selectors.intro_paths`
checks every chain against the live rows (connections still there, blocks, deleted or hidden
members) before anyone sees it.
"""

import json
import os
import shutil
import time
import uuid
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cercle.engine.paths import ConnectionGraph, build_graph

FORMAT = 1
VERSION_KEY = f"intros:graph:v{FORMAT}:version"
CHANGED_KEY = f"intros:graph:v{FORMAT}:changed"
REFRESH_QUEUED_KEY = f"intros:graph:v{FORMAT}:refresh-queued"
TIMEOUT = 7 * 24 * 3600
STALE_AFTER_SECONDS = 60
KEEP_VERSIONS = 3

LOOKBACK_DAYS = 365
HALF_LIFE_DAYS = 90
MAX_STRENGTH = 16.0

_memo: tuple[str, ConnectionGraph] | None = None


def graph_dir() -> Path:
    configured = getattr(settings, "INTRO_GRAPH_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "cache" / "intro-graph"


def _pair_keys(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return (low.astype(np.int64) << 32) | high.astype(np.int64)


def tie_strengths(pairs: np.ndarray, today=None) -> np.ndarray:
    """float32 strength of each connection (rows of `pairs`: smaller id, larger id)."""
    import datetime as dt

    from network.models import Interaction

    strength = np.ones(len(pairs), dtype=np.float32)
    if not len(pairs):
        return strength
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=LOOKBACK_DAYS)
    through = Interaction.contacts.through
    rows = through.objects.filter(
        contact__member__isnull=False,
        interaction__occurred_on__gte=since,
        interaction__occurred_on__lte=today,
    ).values_list("contact__owner_id", "contact__member_id", "interaction__occurred_on")
    owners, members, ages = [], [], []
    for owner_id, member_id, occurred_on in rows.iterator(chunk_size=5000):
        owners.append(owner_id)
        members.append(member_id)
        ages.append((today - occurred_on).days)
    if not owners:
        return strength
    a, b = np.asarray(owners, np.int64), np.asarray(members, np.int64)
    keys = _pair_keys(np.minimum(a, b), np.maximum(a, b))
    weights = np.power(0.5, np.asarray(ages, np.float64) / HALF_LIFE_DAYS)
    unique, inverse = np.unique(keys, return_inverse=True)
    totals = np.bincount(inverse, weights=weights)
    wanted = _pair_keys(pairs[:, 0], pairs[:, 1])
    at = np.minimum(np.searchsorted(unique, wanted), len(unique) - 1)
    found = unique[at] == wanted
    strength[found] += np.minimum(totals[at[found]], MAX_STRENGTH - 1).astype(np.float32)
    return strength


def build_connection_graph() -> ConnectionGraph:
    """The graph of today's connections between active members."""
    from intros.models import Connection

    rows = Connection.objects.filter(user_low__is_active=True, user_high__is_active=True).values_list(
        "user_low_id", "user_high_id"
    )
    pairs = np.array(list(rows), dtype=np.int64).reshape(-1, 2)
    member_ids = np.unique(pairs)
    return build_graph(member_ids, pairs[:, 0], pairs[:, 1], tie_strengths(pairs))


def _new_version() -> str:
    return f"{time.time_ns()}-{uuid.uuid4().hex[:12]}"


def built_at_ns(version: str) -> int:
    try:
        return int(version.split("-", 1)[0])
    except ValueError:
        return 0


def _save(graph: ConnectionGraph, version: str) -> Path:
    """Write the version's files once (a temporary folder renamed into place)."""
    root = graph_dir()
    target = root / version
    if (target / "meta.json").exists():
        return target
    root.mkdir(parents=True, exist_ok=True)
    temporary = root / f".tmp-{version}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    graph.save(temporary)
    meta = {"format": FORMAT, "version": version, "members": len(graph), "edges": graph.edge_count}
    (temporary / "meta.json").write_text(json.dumps(meta))
    try:
        os.rename(temporary, target)
    except OSError:  # another process of this machine wrote the same version first
        shutil.rmtree(temporary, ignore_errors=True)
    return target


def _prune(keep: str) -> None:
    """Old versions go (a process still mapping one keeps reading it: the files live on until unmapped)."""
    root = graph_dir()
    if not root.exists():
        return
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    stale = [p for p in folders if p.name != keep and not p.name.startswith(".")][KEEP_VERSIONS:]
    temporaries = [p for p in folders if p.name.startswith(".tmp-") and time.time() - p.stat().st_mtime > 3600]
    for folder in stale + temporaries:
        shutil.rmtree(folder, ignore_errors=True)


def _load(version: str) -> ConnectionGraph:
    global _memo
    if _memo is not None and _memo[0] == version:
        return _memo[1]
    folder = graph_dir() / version
    try:
        graph = ConnectionGraph.load(folder, mmap=True)
    except (OSError, ValueError):
        # Not on this machine (built elsewhere, or pruned): the same version, built here.
        _save(build_connection_graph(), version)
        graph = ConnectionGraph.load(folder, mmap=True)
    _memo = (version, graph)
    return graph


def graph_rebuild() -> ConnectionGraph:
    """Build the graph now, save it and publish its version to every process."""
    global _memo
    version = _new_version()  # taken before reading: a change committed meanwhile is newer
    _save(build_connection_graph(), version)
    cache.set(VERSION_KEY, version, TIMEOUT)
    _prune(keep=version)
    graph = ConnectionGraph.load(graph_dir() / version, mmap=True)
    _memo = (version, graph)
    return graph


def current_graph() -> ConnectionGraph:
    """The graph built last (one cache lookup when this process already maps it)."""
    found = cache.get_many([VERSION_KEY, CHANGED_KEY])
    version, changed = found.get(VERSION_KEY), found.get(CHANGED_KEY)
    if version is None:
        return graph_rebuild()
    if changed is not None and changed > built_at_ns(version):
        if time.time_ns() - changed > STALE_AFTER_SECONDS * 1_000_000_000:
            return graph_rebuild()
        graph_refresh_soon()
    return _load(version)


def graph_is_stale() -> bool:
    """No graph published, or connections changed after it was built."""
    found = cache.get_many([VERSION_KEY, CHANGED_KEY])
    version, changed = found.get(VERSION_KEY), found.get(CHANGED_KEY)
    return version is None or (changed is not None and changed > built_at_ns(version))


def graph_refresh_soon() -> None:
    """Queue one rebuild (not one per saved connection: a demo load saves hundreds)."""
    if cache.add(REFRESH_QUEUED_KEY, True, 600):
        from intros.tasks import graph_refresh

        graph_refresh.enqueue()


def graph_changed() -> None:
    """Connections changed (call after the commit): note when, and queue a rebuild."""
    cache.set(CHANGED_KEY, time.time_ns(), TIMEOUT)
    graph_refresh_soon()
