"""The engine is plain numpy and scipy: importing it must not pull in Django."""

import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent
ROOT = ENGINE.parent.parent

PROBE = """
import sys
import cercle.engine
from cercle.engine import pairing, paths, profiles, scoring, terms
loaded = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(",".join(loaded))
"""


def test_importing_the_engine_loads_no_django_module():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "", f"the engine imported {done.stdout.strip()}"


def test_no_engine_module_mentions_django_in_an_import():
    for source in ENGINE.rglob("*.py"):
        for line in source.read_text().splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import django", "from django")), f"{source}: {stripped}"
