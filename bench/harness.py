"""What every benchmark shares: a throwaway site in a temporary directory, and timing."""

import os
import sys
import time
from pathlib import Path


def setup_django(var_dir: str, database_url: str | None = None) -> None:
    """Point Tongpin at ``var_dir`` (database, keys, secret) before Django reads its settings."""
    os.environ["TONGPIN_VAR_DIR"] = var_dir
    (Path(var_dir) / "static").mkdir(exist_ok=True)  # whitenoise warns about a missing root
    os.environ["TONGPIN_CONFIG"] = str(Path(var_dir) / "none.toml")
    os.environ["TONGPIN_ALLOWED_HOSTS"] = "testserver"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongpin.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def timed_get(client, url, params, count):
    """Milliseconds of ``count`` GETs of ``url``; each must answer 200."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times
