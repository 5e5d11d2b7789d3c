# The two commands of the README: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= python3
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/cqp
PYTEST_ARGS ?= -n auto

.PHONY: install demo serve test quality test-sqlite test-postgres bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements/dev.txt
	touch $@

# The site's address is the issuer's did:web: the demo signs and verifies under the address it serves.
demo: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
# Pages queue their tasks in the database; the worker started beside the server runs them.
demo: export TASKS_BACKEND := $(or $(TASKS_BACKEND),django_tasks_db.DatabaseBackend)
demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Plateforme CQP sur http://127.0.0.1:$(PORT)/"
	@# A background worker beside the server: documents, e-mails and other tasks queued by the pages.
	$(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: install
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

quality: install
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint cqp --lint --extension html
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

test-sqlite: install
	DATABASE_URL=sqlite:///var/test.sqlite3 $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Everything CI checks: lint, migrations, then the whole suite on SQLite and on PostgreSQL.
test: quality test-sqlite test-postgres

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf var/test.sqlite3 .pytest_cache
