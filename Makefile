# Huiai (汇爱) — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install fonts messages migrate demo run test test-fast lint typecheck format check clean bench bench-quiz bench-search bench-load bench-load-faults bench-participation worker beat prod prod-setup backup restore

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Huiai needs Python 3.11 (found %d.%d); set PYTHON=/path/to/python3.11" % sys.version_info[:2])'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

# The certificates' Chinese font ships in core/fonts/; this only rebuilds it from the Debian package.
SYSTEM_CJK_FONT ?= /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts: $(STAMP) ## Rebuild the embedded certificate font core/fonts/ from fonts-wqy-microhei (maintainers only)
	@test -f "$(SYSTEM_CJK_FONT)" || { echo "$(SYSTEM_CJK_FONT) is missing: apt-get install fonts-wqy-microhei"; exit 1; }
	$(BIN)/python core/fonts/make_font.py "$(SYSTEM_CJK_FONT)"

node_modules/.installed: package.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility checker (axe-core); install Node.js"; exit 1; }
	npm install --no-audit --no-fund --silent
	touch node_modules/.installed

messages: $(STAMP) ## Compile translations (.po -> .mo) with Babel, no GNU gettext needed
	rm -f locale/*/LC_MESSAGES/django.mo locale/*/LC_MESSAGES/djangojs.mo wagtail_locale/*/LC_MESSAGES/django.mo
	$(BIN)/pybabel compile --statistics -D django -d locale 2>&1 | grep -v '^$$' || true
	$(BIN)/pybabel compile --statistics -D django -d wagtail_locale 2>&1 | grep -v '^$$' || true
	$(BIN)/pybabel compile --statistics -D djangojs -d locale 2>&1 | grep -v '^$$' || true
	@test -f locale/zh_Hans/LC_MESSAGES/django.mo || { echo "Translations did not compile"; exit 1; }

messages-extract: $(STAMP) ## Collect new UI strings into locale/zh_Hans/LC_MESSAGES/django.po (needs GNU gettext)
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench --ignore=htmlcov

migrate: $(STAMP) messages ## Apply database migrations
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo content and demo users (idempotent)
	$(MANAGE) load_demo_content --with-demo-users

run: demo ## Set everything up and serve the site at http://127.0.0.1:$(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Parallel test processes (pytest-xdist), each with its own test database and Redis database index;
# tests that share a module-wide dataset stay on one worker (xdist_group + --dist loadgroup).
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadgroup

test: $(STAMP) messages node_modules/.installed ## Set up and run the whole test suite (TEST_WORKERS=2)
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-fast: $(STAMP) messages ## Run the tests without the browser journeys
	$(BIN)/pytest $(XDIST) -m "not e2e" $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check and format check, app import direction, migrations check, type check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=huiai.settings.test $(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory typecheck

# Settings, modules and strictness in pyproject.toml ([tool.mypy]); the cache is .mypy_cache/.
typecheck: $(STAMP) ## mypy with django-stubs: strict on core, services, selectors and roles
	$(BIN)/mypy

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) messages ## gunicorn + wrk on PostgreSQL: each page against a bare Django view (needs wrk)
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/http_bench.py $(BENCH_ARGS)

bench-participation: $(STAMP) messages ## Participation dashboards at 100,000 parents on PostgreSQL (own database <name>_bench): p50/p95 per scope
	$(BIN)/python bench/participation_bench.py $(BENCH_ARGS)

bench-quiz: $(STAMP) messages ## Quiz submission (20 questions) and certificate PDF throughput, in-process
	$(BIN)/python bench/quiz_bench.py $(BENCH_ARGS)

bench-search: $(STAMP) messages ## Search quality (evaluation set: recall@5, MRR, nDCG@10 on both halves), p50/p95 latency, index build time and size at 5,000 pages, SQLite and PostgreSQL
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

bench-load: $(STAMP) messages ## Locust on the production stack at the seed's scale (your DATABASE_URL and REDIS_URL, loopback, bounded): throughput, p50/p95/p99 per request kind
	$(BIN)/python bench/load_run.py $(BENCH_ARGS)

bench-load-faults: $(STAMP) messages ## The same load with Redis restarted, a worker killed and the database's connections cut; then checks every accepted report and progress save is stored and every notification sent once
	$(BIN)/python bench/load_run.py --faults $(BENCH_ARGS)

worker: $(STAMP) ## Run a Celery worker (needs REDIS_URL or CELERY_BROKER_URL)
	$(BIN)/celery -A huiai worker --loglevel=info

beat: $(STAMP) ## Run Celery beat (the periodic tasks in settings)
	$(BIN)/celery -A huiai beat --loglevel=info

# --- Production on one machine (deploy/README.md) --------------------------------------------
# Everything runs under the production settings: DATABASE_URL (PostgreSQL), REDIS_URL,
# SECRET_KEY, SCHOOLS_ENCRYPTION_KEYS, TRUSTED_PROXY_COUNT, SMS_* and ALLOWED_HOSTS come from the
# environment or from ENV_FILE (deploy/huiai.env.example lists them); the settings refuse to
# start without them.
LOG_DIR ?= var/log
ENV_FILE ?= .env
PROD := set -a; test ! -f "$(ENV_FILE)" || . "$(abspath $(ENV_FILE))"; set +a; \
	DJANGO_SETTINGS_MODULE=huiai.settings.production PATH="$(CURDIR)/$(BIN):$$PATH"

prod-setup: $(STAMP) messages ## Production steps before start: check, collectstatic, migrate
	@$(PROD); test -n "$$DATABASE_URL" || { echo "DATABASE_URL must name the PostgreSQL database (postgres://user@host:5432/huiai)"; exit 1; }
	@$(PROD); test -n "$$REDIS_URL" || { echo "REDIS_URL must name the Redis server (redis://127.0.0.1:6379/0)"; exit 1; }
	$(PROD) $(MANAGE) check --deploy --fail-level ERROR
	$(PROD) $(MANAGE) collectstatic --noinput --verbosity 0
	$(PROD) $(MANAGE) migrate --noinput

prod: prod-setup ## Serve in production: gunicorn (workers from the CPU count), Celery worker and beat, all logs in var/log/huiai.log
	@mkdir -p $(LOG_DIR)
	@echo "Starting deploy/Procfile (web, worker, beat); every line also goes to $(LOG_DIR)/huiai.log"
	@# tee ignores INT and TERM, so it keeps writing while honcho stops the processes on Ctrl-C or a TERM.
	set -o pipefail; $(PROD) $(BIN)/honcho --no-colour --env /dev/null --procfile deploy/Procfile --app-root . start 2>&1 \
		| (trap '' INT TERM; exec tee -a $(LOG_DIR)/huiai.log)

backup: $(STAMP) ## Encrypted backup of the database and stored files into BACKUP_DIR (keeps BACKUP_KEEP)
	$(PROD) $(MANAGE) backup

restore: $(STAMP) ## Restore BACKUP=var/backups/huiai-….tar.gpg (or BACKUP=latest) into an empty database
	@test -n "$(BACKUP)" || { echo "Name the archive: make restore BACKUP=var/backups/huiai-YYYYMMDD-HHMMSS.tar.gpg"; exit 1; }
	$(PROD) $(MANAGE) restore "$(BACKUP)" $(RESTORE_ARGS)

clean: ## Remove the virtualenv, node_modules, the SQLite database and compiled files
	rm -rf $(VENV) node_modules db.sqlite3 var staticfiles .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
