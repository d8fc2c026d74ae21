"""Helpers shared by every benchmark of bench/: records, machine, wrk, gunicorn, manage.py.

A benchmark is a module `bench/bench_<name>.py` with `run() -> list[dict]`, each dict built
by `record()`. `bench/run.py` finds the modules, runs them and writes the records to
`bench/results/` (format: bench/README.md).
"""

import http.client
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable

# Production-like settings for a server that only ever listens on 127.0.0.1.
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"


class BenchError(RuntimeError):
    """The benchmark itself failed (as opposed to a figure missing its target)."""


# --- Records ---------------------------------------------------------------------------------

_OPS = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def machine() -> dict:
    """Where the figures were measured: enough to tell two machines apart."""
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "hostname": socket.gethostname(),
        "cpu_model": cpu_model or platform.processor() or platform.machine(),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def target(op: str, value: float, on: str = "value") -> dict:
    """A target: `on` is "value" (the figure itself) or "ratio" (the figure / the reference)."""
    if op not in _OPS or on not in {"value", "ratio"}:
        raise ValueError(f"bad target {op!r} on {on!r}")
    return {"op": op, "value": value, "on": on}


def record(
    name: str,
    value: float,
    unit: str,
    *,
    target: dict | None = None,
    reference: dict | None = None,
    details: dict | None = None,
    date: datetime | None = None,
    machine_info: dict | None = None,
) -> dict:
    """One figure. `reference` = {"name", "value", "unit"}: measured in the same run.

    `ratio` is value / reference value; `met` is true or false when there is a target,
    null when the figure is recorded for information only. `value` may be None when the figure
    could not be measured (e.g. a header the measured code does not send): ratio null, and a
    target is then missed.
    """
    ratio = None
    if value is not None and reference is not None and reference.get("value"):
        ratio = round(value / reference["value"], 4)
    met = None
    if target is not None:
        compared = ratio if target["on"] == "ratio" else value
        met = compared is not None and _OPS[target["op"]](compared, target["value"])
    return {
        "name": name,
        "value": None if value is None else round(value, 3),
        "unit": unit,
        "target": target,
        "reference": reference,
        "ratio": ratio,
        "met": met,
        "date": (date or utc_now()).isoformat().replace("+00:00", "Z"),
        "machine": machine_info or machine(),
        "details": details or {},
    }


def median(values: list[float]) -> float:
    return float(statistics.median(values))


class CpuWatch:
    """How busy the machine was while the block ran, and how much of it was someone else.

    Shares of all CPUs: `bench_share` is the CPU time of this process's children once reaped
    (wrk, gunicorn and its workers), `other_share` the rest of the user and system time (other
    jobs: above a few percent, they competed with the benchmark and its figures are lower than
    the machine can do), `irq_share` interrupts (mostly loopback networking, the bench's own),
    `steal_share` time the hypervisor gave to other machines.
    """

    def __enter__(self) -> "CpuWatch":
        self._stat, self._own = _cpu_jiffies(), _children_cpu_s()
        self.result: dict = {}
        return self

    def __exit__(self, *exc) -> None:
        before, after = self._stat, _cpu_jiffies()
        user_system, irq, steal, total = (after[i] - before[i] for i in range(4))
        total = max(total, 1)
        own = (_children_cpu_s() - self._own) * os.sysconf("SC_CLK_TCK")
        self.result = {
            "bench_share": round(min(own, user_system) / total, 3),
            "other_share": round(max(user_system - own, 0) / total, 3),
            "irq_share": round(irq / total, 3),
            "steal_share": round(steal / total, 3),
        }


def _cpu_jiffies() -> tuple[int, int, int, int]:
    """(user + system, irq + softirq, steal, total) jiffies over all CPUs since boot, from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        fields += [0] * (8 - len(fields))
    except (OSError, ValueError, IndexError):
        return 0, 0, 0, 0
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return user + nice + system, irq + softirq, steal, sum(fields[:8])  # guest time is already in user


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- manage.py -------------------------------------------------------------------------------


def manage(*args: str, env: Mapping[str, str], timeout: float = 900, code_dir: Path = ROOT) -> str:
    """Run `manage.py <args>` with this environment; its stdout, or BenchError with the output.

    `code_dir`: the checkout whose manage.py and apps run (another revision's, see `checkout`),
    with this repository's virtualenv.
    """
    command = [PYTHON, "manage.py", *args]
    done = subprocess.run(command, cwd=code_dir, env=dict(env), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        shown = " ".join(arg if len(arg) <= 80 else arg[:60].strip() + " …" for arg in command[1:])
        raise BenchError(f"{shown} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def isolated_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """Production-like settings on a fresh SQLite database under var_dir; the dev var/ is untouched."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "SITE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="cercle.settings",
        CERCLE_VAR_DIR=str(var_dir),
        SQLITE_PATH=str(var_dir / "bench.sqlite3"),
        CERCLE_TESTING="false",
        DEBUG="false",
        SECRET_KEY=BENCH_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SITE_URL="http://127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


# --- HTTP ------------------------------------------------------------------------------------


def http_get(port: int, path: str, headers: Mapping[str, str] | None = None, timeout: float = 10) -> tuple[int, str]:
    """One GET on 127.0.0.1, redirects not followed (a 302 to the log-in page must not pass for a 200)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=dict(headers or {}))
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- gunicorn --------------------------------------------------------------------------------


@contextmanager
def gunicorn(
    env: Mapping[str, str], *, workers: int = 2, log_dir: Path, ready_timeout: float = 60, code_dir: Path = ROOT
) -> Iterator[int]:
    """Serve cercle.wsgi on a free 127.0.0.1 port until the block ends; yields the port once /healthz is ok.

    `code_dir`: the checkout served (gunicorn imports cercle.wsgi from its working directory).
    """
    executable = VENV_BIN / "gunicorn"
    binary = str(executable) if executable.exists() else shutil.which("gunicorn")
    if not binary:
        raise BenchError("gunicorn is not installed (make install)")
    port = free_port()
    log = log_dir / f"gunicorn-{port}.log"
    command = [binary, "cercle.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--error-logfile", str(log)]
    with open(log_dir / f"gunicorn-{port}.out", "w") as out:
        process = subprocess.Popen(command, cwd=code_dir, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(process, port, ready_timeout, log)
        yield port
    finally:
        _stop(process)


def _wait_healthy(process: subprocess.Popen, port: int, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited ({process.returncode}):\n{_tail(log)}")
        try:
            status, body = http_get(port, "/healthz", timeout=2)
            if status == 200:
                return
            last = f"{status} {body[:200]}"
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    raise BenchError(f"gunicorn not healthy on port {port} after {timeout:.0f} s ({last}):\n{_tail(log)}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful: the arbiter stops its workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- wrk -------------------------------------------------------------------------------------

# wrk calls done() once at the end: one machine-readable line, latencies in ms (wrk counts in µs).
WRK_REPORT_LUA = """
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "WRK-REPORT requests=%d duration_s=%.6f rps=%.3f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f "
      .. "max_ms=%.3f mean_ms=%.3f errors_connect=%d errors_read=%d errors_write=%d "
      .. "errors_status=%d errors_timeout=%d\\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""

_REPORT = re.compile(r"^WRK-REPORT (.*)$", re.MULTILINE)


def wrk_binary() -> str:
    binary = shutil.which("wrk")
    if not binary:
        raise BenchError("wrk is not installed: apt-get install wrk (make bench installs it)")
    return binary


def wrk(
    url: str,
    *,
    threads: int = 2,
    connections: int = 32,
    duration_s: float = 8,
    headers: Mapping[str, str] | None = None,
    timeout_s: float = 10,
) -> dict:
    """Load `url` with wrk; {"rps", "p50_ms", "p95_ms", "p99_ms", "requests", "errors_*", …}.

    wrk counts only 4xx/5xx as status errors: check beforehand that the page answers 200
    (a redirect would be measured as a fast page).
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="wrk-report-", delete=False) as script:
        script.write(WRK_REPORT_LUA)
    command = [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{duration_s:g}s", f"--timeout={timeout_s:g}s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    command += ["-s", script.name, url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + timeout_s + 30)
    finally:
        os.unlink(script.name)
    match = _REPORT.search(done.stdout)
    if done.returncode != 0 or not match:
        raise BenchError(f"wrk failed ({done.returncode}) on {url}:\n{done.stdout}\n{done.stderr}")
    report: dict = {}
    for pair in match.group(1).split():
        key, value = pair.split("=", 1)
        report[key] = float(value) if "." in value else int(value)
    report["errors"] = sum(v for k, v in report.items() if k.startswith("errors_"))
    return report


# wrk with a list of requests: each line of the request file is `path<TAB>cookie header` (an empty
# cookie for an anonymous visitor). Each thread reads the file and cycles through it from its own
# offset (`start`, then one share of the file further per thread), so that two threads do not send
# the same requests in step. response() counts the statuses and the X-Cercle-Cache header's
# `name=hit` / `name=miss` entries per thread; done() adds them up over the threads.
WRK_REQUESTS_LUA = """
local threads, next_id = {}, 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local requests, count, index = {}, 0, 1

function init(args)
  for line in io.lines(REQUEST_FILE) do
    local path, cookie = line:match("^([^\\t]+)\\t?(.*)$")
    if path then
      local headers = {["Accept-Language"] = LANGUAGE}
      if cookie ~= "" then headers["Cookie"] = cookie end
      count = count + 1
      requests[count] = wrk.format("GET", path, headers)
    end
  end
  if count == 0 then error("no request in " .. REQUEST_FILE) end
  index = (START + thread_id * math.floor(count / THREADS)) % count + 1
  statuses, hits, misses = {}, {}, {}
end

function request()
  local r = requests[index]
  index = index + 1
  if index > count then index = 1 end
  return r
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local value = headers["X-Cercle-Cache"] or headers["x-cercle-cache"]
  if value then
    for name, state in value:gmatch("([^,=%s]+)%s*=%s*(%a+)") do
      if state == "hit" then
        hits[name] = (hits[name] or 0) + 1
      else
        misses[name] = (misses[name] or 0) + 1
      end
    end
  end
end

local function add(total, part)
  for key, n in pairs(part or {}) do total[key] = (total[key] or 0) + n end
end
"""
WRK_REQUESTS_LUA += WRK_REPORT_LUA.replace(
    "done = function(summary, latency, requests)", "local report = function(summary, latency)"
)
WRK_REQUESTS_LUA += """
done = function(summary, latency, requests)
  report(summary, latency)
  local all_statuses, all_hits, all_misses, names = {}, {}, {}, {}
  for _, thread in ipairs(threads) do
    add(all_statuses, thread:get("statuses"))
    add(all_hits, thread:get("hits"))
    add(all_misses, thread:get("misses"))
  end
  io.write("WRK-STATUS")
  for status, n in pairs(all_statuses) do io.write(string.format(" %d=%d", status, n)) end
  io.write("\\n")
  for name in pairs(all_hits) do names[name] = true end
  for name in pairs(all_misses) do names[name] = true end
  io.write("WRK-CACHE")
  for name in pairs(names) do
    io.write(string.format(" %s=%d/%d", name, all_hits[name] or 0, all_misses[name] or 0))
  end
  io.write("\\n")
end
"""

_STATUS = re.compile(r"^WRK-STATUS(.*)$", re.MULTILINE)
_CACHE = re.compile(r"^WRK-CACHE(.*)$", re.MULTILINE)


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_requests(
    base_url: str,
    request_file: Path,
    *,
    threads: int = 2,
    connections: int = 32,
    duration_s: float = 6,
    start: int = 0,
    language: str = "fr",
    timeout_s: float = 10,
) -> dict:
    """Load the requests of `request_file` (lines `path<TAB>cookie`) on `base_url` with wrk.

    Returns wrk()'s figures plus `statuses` ({status: count}), `non_2xx` (how many answers were
    not 2xx: wrk itself counts only 4xx/5xx) and `cache` ({name: {"hits", "misses"}} from the
    X-Cercle-Cache response header; empty when the server does not send it). Each of the
    `threads` starts at `start` plus its share of the file: pass the previous run's
    `start + requests // threads` to go on where it stopped.
    """
    prelude = (
        f"local REQUEST_FILE, LANGUAGE = {_lua_string(str(request_file))}, {_lua_string(language)}\n"
        f"local START, THREADS = {int(start)}, {int(threads)}\n"
    )
    script_text = prelude + WRK_REQUESTS_LUA
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="wrk-requests-", delete=False) as script:
        script.write(script_text)
    command = [
        wrk_binary(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration_s:g}s",
        f"--timeout={timeout_s:g}s",
        "-s",
        script.name,
        base_url,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + timeout_s + 60)
    finally:
        os.unlink(script.name)
    match = _REPORT.search(done.stdout)
    if done.returncode != 0 or not match:
        raise BenchError(f"wrk failed ({done.returncode}) on {request_file}:\n{done.stdout}\n{done.stderr}")
    report: dict = {}
    for pair in match.group(1).split():
        key, value = pair.split("=", 1)
        report[key] = float(value) if "." in value else int(value)
    report["errors"] = sum(v for k, v in report.items() if k.startswith("errors_"))
    if not report["requests"]:  # nothing answered in time: no latency measured (wrk says 0)
        report.update(p50_ms=None, p95_ms=None, p99_ms=None, max_ms=None, mean_ms=None)
    statuses: dict[int, int] = {}
    status_line = _STATUS.search(done.stdout)
    for pair in (status_line.group(1) if status_line else "").split():
        status, n = pair.split("=", 1)
        statuses[int(status)] = int(n)
    report["statuses"] = dict(sorted(statuses.items()))
    report["non_2xx"] = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    cache: dict[str, dict] = {}
    cache_line = _CACHE.search(done.stdout)
    for pair in (cache_line.group(1) if cache_line else "").split():
        name, counts = pair.rsplit("=", 1)
        hits, misses = counts.split("/")
        cache[name] = {"hits": int(hits), "misses": int(misses)}
    report["cache"] = dict(sorted(cache.items()))
    return report


# --- Code under test: another revision, beside the working tree ---------------------------------


def git(*args: str, cwd: Path = ROOT) -> str:
    """A read-only git command (rev-parse, status…) or a clone's own checkout; its stdout."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise BenchError(f"git {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def code_version(code_dir: Path = ROOT) -> dict:
    """{"sha", "dirty"}: the commit a checkout is at, and whether its tracked files differ from it."""
    sha = git("rev-parse", "HEAD", cwd=code_dir)
    # --no-optional-locks: a status that never writes the index (others work in this tree).
    dirty = bool(git("--no-optional-locks", "status", "--porcelain", "--untracked-files=no", cwd=code_dir))
    return {"sha": sha, "dirty": dirty}


def checkout(rev: str, dest: Path) -> str:
    """Clone this repository into `dest` at `rev` (this repository is only read), with a link to
    its virtualenv, so that `manage(code_dir=dest)` and `gunicorn(code_dir=dest)` run that
    revision's code; returns the commit's sha."""
    sha = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    git("clone", "-q", "--no-checkout", str(ROOT), str(dest))
    git("checkout", "-q", sha, cwd=dest)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return sha


# --- PostgreSQL ------------------------------------------------------------------------------

POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER = "127.0.0.1", 5432, "postgres"


def postgres_available(timeout: float = 2) -> str | None:
    """None when the local PostgreSQL (user postgres, trust authentication) answers, else why not."""
    try:
        with socket.create_connection((POSTGRES_HOST, POSTGRES_PORT), timeout=timeout):
            pass
    except OSError as error:
        return f"nothing answers on {POSTGRES_HOST}:{POSTGRES_PORT} ({error})"
    try:
        import psycopg

        with psycopg.connect(_postgres_url("postgres"), connect_timeout=int(timeout) or 1) as conn:
            conn.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL for the bench
        return f"PostgreSQL on {POSTGRES_HOST}:{POSTGRES_PORT} refuses the bench ({error})"
    return None


def _postgres_url(name: str) -> str:
    return f"postgres://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A fresh, empty database `name` for the block (dropped first if it exists, and afterwards);
    yields its DATABASE_URL."""
    import psycopg

    if not name or not all(c.isalnum() or c == "_" for c in name):
        raise BenchError(f"not a plain database name: {name!r}")
    admin = _postgres_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_url(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0.95 → p95)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def latency_summary(timings: Mapping[str, list[float]]) -> dict:
    """Per page: p50, p95 and max of its timings in ms."""
    return {
        name: {"p50": median(values), "p95": percentile(values, 0.95), "max": max(values)}
        for name, values in timings.items()
    }


RESULT_PREFIX = "BENCH-RESULT "


def run_child(script: str, *, prefix: str) -> dict:
    """Run `script --child <tmp>` against a fresh database in a temporary directory.

    The child measures in its own process (its own Django settings) and prints one
    RESULT_PREFIX line of JSON, returned here.
    """
    import json

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        env = isolated_env(Path(tmp), ALLOWED_HOSTS="testserver,127.0.0.1")
        done = subprocess.run(
            [PYTHON, script, "--child", tmp], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise BenchError(f"the measuring process failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1].removeprefix(RESULT_PREFIX))
