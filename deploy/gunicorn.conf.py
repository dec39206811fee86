"""gunicorn for Huiai in production (``make prod`` and deploy/Procfile start it with this file).

Every value can be changed from the environment without editing this file:

* ``HUIAI_BIND``: where gunicorn listens (default ``127.0.0.1:8000``: only the reverse proxy on
  the same machine reaches it; never expose gunicorn itself to the internet);
* ``WEB_CONCURRENCY``: worker processes (default ``2 × CPU cores + 1``, gunicorn's own advice
  for sync workers, capped at 12 so a large machine does not exhaust PostgreSQL's connections);
* ``GUNICORN_TIMEOUT``: seconds a request may take before its worker is replaced (default 30,
  kept below nginx's ``proxy_read_timeout`` in deploy/nginx.conf so the proxy sees the 502/504);
* ``FORWARDED_ALLOW_IPS``: the proxies whose ``X-Forwarded-*`` headers gunicorn believes
  (default ``127.0.0.1``, nginx on this machine). The app itself reads the client address
  from ``X-Forwarded-For`` with ``TRUSTED_PROXY_COUNT`` (core/clientip.py): one proxy, count 1.
"""

import multiprocessing
import os
import shutil


def _workers() -> int:
    configured = os.environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        return max(1, int(configured))
    return min(multiprocessing.cpu_count() * 2 + 1, 12)


wsgi_app = "huiai.wsgi:application"
bind = os.environ.get("HUIAI_BIND", "127.0.0.1:8000")
workers = _workers()
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do not all restart at once):
# a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, not on a disk that may stall (gunicorn's advice for containers and VMs).
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - gunicorn makes its own private files there (mkstemp)
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs go to standard output and error: honcho gathers every process's lines in one place
# (var/log/huiai.log under `make prod`, the journal under systemd).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The request id nginx sent (and the app echoed) ties this line to the app's lines of the request.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s" request_id=%({x-request-id}o)s'
# Readable process names in ps/top: "gunicorn: worker [huiai]".
proc_name = "huiai"
# gunicorn's control socket (gunicornc) beside the other run-time files, not in $HOME: two
# stacks on one machine (or a test's) never share it.
control_socket = os.path.join(os.environ.get("HUIAI_VAR_DIR", "var"), "gunicorn.ctl")

# /metrics adds up every worker's counters (core/metrics.py): prometheus-client keeps them in files
# here, emptied when gunicorn starts; a worker that exits has its live gauges dropped.
METRICS_DIR = os.path.join(os.environ.get("HUIAI_VAR_DIR", "var"), "prometheus")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR


def on_starting(server):
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    os.makedirs(METRICS_DIR, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Loads the search's dictionaries (jieba, pypinyin) before the worker takes a request: otherwise
    the first search each worker answers (again after every ``max_requests``) waits for them."""
    from search.analysis import preload

    preload()
