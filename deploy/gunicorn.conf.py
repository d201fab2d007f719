"""gunicorn for meded: threaded workers, one file for the image, docker-compose and bench/.

Most requests wait on PostgreSQL (a booking's row lock, an exam answer's upsert), so each
worker process runs several threads: a slow request does not hold a whole process, and a
burst (200 students booking one session, 300 saving exam answers) queues far less than on
sync workers. The timeout covers the slowest page we serve (a paper's PDF, a CSV import or
export of a few thousand rows takes seconds); nginx's proxy_read_timeout (120 s) is longer.

Every setting can be changed from the environment without editing this file:
WEB_CONCURRENCY (processes), GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_BIND.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# processes: about one per core, at least 2 (a restart never leaves the site without one)
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, min(multiprocessing.cpu_count(), 8))))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# a worker is replaced now and then (gracefully), so a slow leak never grows without bound;
# rarely, since a new worker imports Django again
max_requests = 20000
max_requests_jitter = 2000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
