"""Importing a 10,000-row LinkedIn Connections.csv (5 % duplicates) end to end: preview + confirm.

As bench_pages: a fresh SQLite database in a temporary directory with production-like settings
(`common.isolated_env`, `manage.py migrate`). The import itself runs in a child process
(`bench_import.py --child`, Django set up there, so the runner's own process and environment stay
untouched): the file is generated once (deterministic: the same seed gives the same bytes), then
imported 5 times, each time into a fresh member's empty network, through the same services as
the web pages (`network.imports.import_preview` then `import_confirm`). Median seconds and
rows/s. Target (issue 3): at most 3 s.
"""

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PYTHON,
    ROOT,
    BenchError,
    isolated_env,
    machine,
    manage,
    median,
    record,
    target,
    utc_now,
)

ROWS = 10_000
DUPLICATE_SHARE = 0.05
RUNS = 5
TARGET_S = 3.0
SEED = 20240312


def _words(text: str, separator: str | None = None) -> list[str]:
    return text.split(separator)


FIRST = _words(
    "Camille Léa Manon Chloé Inès Sarah Jade Louise Emma Alice Lina Rose Anna Julia Zoé Lou Léna Mila Nina Eva "
    "Hélène Élodie Amina Nadia Yasmine Fatou Aïcha Maëlle Gwenaëlle Solène Agathe Margaux Clémence Pauline "
    "Lucas Hugo Louis Gabriel Arthur Jules Adam Raphaël Nathan Léo Tom Noah Ethan Paul Victor Sacha Mohamed "
    "Karim Youssef Mehdi Thomas Nicolas Julien Maxime Antoine Pierre-Yves Jean-Marc François Éric Frédéric "
    "Bastien Yann Gaël Erwan Loïc Tristan Benoît Olivier Stéphane Cédric Damien Xavier Quentin Romain Mathis"
)
LAST = _words(
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux "
    "David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure "
    "André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément "
    "Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer "
    "Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard "
    "Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix "
    "Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte López Jean "
    "Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher "
    "Fleury Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard "
    "Maillard Baron Bertin Bailly Hervé Schneider Fernandez Le-Gall Collet Léger Bouvier Julien Prévost Millet"
)
COMPANY_WORDS = _words(
    "Atelier Agence Studio Cabinet Groupe Coop Maison Lab Conseil Solutions Digital Énergie Santé Finance "
    "Mistral Lumière Horizon Azur Océan Alpes Provence Lyonnaise Nord Sud Bleue Verte Rouge Nova Axia Opale"
)
POSITIONS = _words(
    "Directrice générale|Directeur commercial|Développeur Python|Data engineer|Product manager|Avocate associée|"
    "Consultant en stratégie|Expert-comptable|Chargée de mission|Responsable RH|Growth marketer|Designer UX|"
    "Fondateur|Cofondatrice|Ingénieure DevOps|Chef de projet|Architecte|Juriste|Business developer",
    separator="|",
)
MONTHS = _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or download "
    "their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more "
    'about this here: https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _cell(value: str) -> str:
    return f'"{value}"' if "," in value or '"' in value else value


def linkedin_csv(rows: int = ROWS, duplicate_share: float = DUPLICATE_SHARE, seed: int = SEED) -> bytes:
    """A Connections.csv: distinct people, then a share of them again (another e-mail case, a typo)."""
    rng = random.Random(seed)
    companies = sorted({f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}" for _ in range(1200)})
    duplicates = int(rows * duplicate_share)
    names = rng.sample([(first, last) for first in FIRST for last in LAST], rows - duplicates)
    people = []
    for index, (first, last) in enumerate(names):
        slug = f"{first}-{last}-{index}".lower().replace(" ", "-")
        email = f"{slug}@example.org" if rng.random() < 0.4 else ""
        company = rng.choice(companies) if rng.random() < 0.9 else ""
        day = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2008, 2025)}"
        person = [first, last, f"https://www.linkedin.com/in/{slug}", email, company, rng.choice(POSITIONS), day]
        people.append(person)
    lines = [person[:] for person in people]
    for person in rng.sample(people, duplicates):
        again = person[:]
        if again[3]:
            again[3] = again[3].upper()  # the same address, typed otherwise
        else:
            again[0] = again[0].upper()  # the same name and company, in capitals
        again[2] = ""
        lines.insert(rng.randint(lines.index(person) + 1, len(lines)), again)
    body = "".join(",".join(_cell(value) for value in line) + "\n" for line in lines)
    return (PREAMBLE + HEADER + body).encode()


def _child() -> None:
    """In the child process: set Django up on the isolated database, import RUNS times, print JSON."""
    import os

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cercle.settings")
    import django

    django.setup()
    from network.imports import import_confirm, import_preview
    from people.models import User

    data = linkedin_csv()
    runs = []
    for number in range(RUNS):
        member = User.objects.create_user(email=f"bench-import-{number}@example.org")  # no password to hash
        started = time.perf_counter()
        batch = import_preview(owner=member, filename="Connections.csv", data=data)
        previewed = time.perf_counter()
        summary = import_confirm(batch=batch, choices={})
        finished = time.perf_counter()
        runs.append(
            {
                "seconds": finished - started,
                "preview_s": previewed - started,
                "confirm_s": finished - previewed,
                "summary": summary,
            }
        )
    print(json.dumps({"bytes": len(data), "runs": runs}))


def run() -> list[dict]:
    started = utc_now()
    with tempfile.TemporaryDirectory(prefix="cercle-bench-import-") as tmp:
        env = isolated_env(Path(tmp))
        print("  manage.py migrate", flush=True)
        manage("migrate", "--noinput", env=env)
        command = [PYTHON, str(Path(__file__).resolve()), "--child"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise BenchError(f"the import child failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    runs = result["runs"]
    for number, one in enumerate(runs, start=1):
        summary = one["summary"]
        print(
            f"  run {number}: {one['seconds']:.3f} s"
            f" (preview {one['preview_s']:.3f} s, confirm {one['confirm_s']:.3f} s)"
            f"  created {summary['created']}, skipped {summary['skipped']}",
            flush=True,
        )
    seconds = median([one["seconds"] for one in runs])
    details = {
        "rows": ROWS,
        "duplicate_share": DUPLICATE_SHARE,
        "file_bytes": result["bytes"],
        "runs": RUNS,
        "database": "SQLite (WAL), fresh, production-like settings",
        "rounds_s": [round(one["seconds"], 3) for one in runs],
        "preview_s": round(median([one["preview_s"] for one in runs]), 3),
        "confirm_s": round(median([one["confirm_s"] for one in runs]), 3),
        "created": runs[-1]["summary"]["created"],
        "duplicates_found": runs[-1]["summary"]["skipped"] + runs[-1]["summary"]["merged"],
    }
    common = {"date": started, "machine_info": machine(), "details": details}
    return [
        record("import.linkedin_10k.seconds", seconds, "s", target=target("<=", TARGET_S), **common),
        record("import.linkedin_10k.rows_per_s", ROWS / seconds, "rows/s", **common),
    ]


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        print(json.dumps(run(), indent=2, ensure_ascii=False))
