"""Requests per second and p50/p95 latency of the home page against a bare Django view.

Both go through the same WSGI application, middleware and database in one process, one after
the other, so their ratio says what the home page itself costs. No network: requests are WSGI
calls in this process. Bounded: ``--requests`` per path, and at most ``--max-seconds`` each.

    .venv/bin/python bench/run.py [--requests 300] [--max-seconds 60]

Uses a throw-away SQLite database (migrated and loaded with the demo content) unless
``--database-url`` names another.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent


def environ_for(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def call(app, path: str) -> tuple[str, int]:
    status_holder = []

    def start_response(status, headers, exc_info=None):
        status_holder.append(status)

    body = app(environ_for(path), start_response)
    size = 0
    try:
        for chunk in body:
            size += len(chunk)
    finally:
        if hasattr(body, "close"):
            body.close()
    return status_holder[0], size


def count_queries(app, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call(app, path)
    return len(captured)


def measure(app, path: str, requests: int, warmup: int, max_seconds: float) -> dict:
    for _ in range(warmup):
        call(app, path)
    queries = count_queries(app, path)
    latencies = []
    started = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        status, size = call(app, path)
        latencies.append(time.perf_counter() - t0)
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")
        if time.perf_counter() - started > max_seconds:
            break
    total = time.perf_counter() - started
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "bytes": size,
        "queries": queries,
        "rps": len(latencies) / total,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per path (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests first (default 30)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time limit per path (default 60)")
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO_DIR))
    workdir = tempfile.TemporaryDirectory(prefix="huiai-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    print("Preparing the database (migrate, load_demo_content)...", file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", verbosity=0, stdout=io.StringIO())
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    app = get_wsgi_application()

    results = [measure(app, path, args.requests, args.warmup, args.max_seconds) for path in ("/bench/bare", "/")]
    print(f"{'path':<14}{'requests':>9}{'bytes':>9}{'queries':>9}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}")
    for r in results:
        print(
            f"{r['path']:<14}{r['requests']:>9}{r['bytes']:>9}{r['queries']:>9}{r['rps']:>10.1f}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}"
        )
    bare, home = results
    print(
        f"home page / bare view: {home['rps'] / bare['rps']:.3f} of the throughput, "
        f"{home['p50_ms'] / bare['p50_ms']:.1f}x the median latency"
    )
    workdir.cleanup()


if __name__ == "__main__":
    main()
