# Cercle: `make run` and `make test` are all a newcomer needs (README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000
# pytest-xdist workers: one a core by default; `make test PYTEST_WORKERS=0` runs in one process. Each
# test file goes to one worker whole, so a module's shared demo (tests/conftest.py) is loaded once, and
# in pytest-django's order (transactional tests, which empty the database, after the others).
PYTEST_WORKERS ?= auto
# Re-install only when the dependencies change.
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test install migrate demo messages makemessages lint clean bench-search bench-networking bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

messages: install
	cd site && $(abspath $(PY)) ../manage.py compilemessages --verbosity 0

migrate: install messages
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) load_demo --base-url http://$(HOST)/

# BASE_URL: e-mails, the admin and the demo's watch sources (paths of the site) follow the served address.
run: demo
	BASE_URL=http://$(HOST) $(MANAGE) runserver $(HOST)

lint: install
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

test: install messages lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder -rs $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 static media .secret_key

# Developers: refresh the catalogues after changing a string, then translate site/locale/fr.
makemessages: install
	$(MANAGE) makemessages -l fr -l en --ignore=.venv --ignore=static --ignore=media --no-obsolete

# The search benchmark (issue 10), not part of `make test`: throw-away SQLite and PostgreSQL (127.0.0.1:5432,
# user postgres) databases of 20,000 and 100,000 documents; takes many minutes. BENCH_ARGS="--engines sqlite".
bench-search: install
	$(PY) bench/search.py $(BENCH_ARGS)

# Issue 11's pages (agenda, events, opportunities, directory, organisations, dashboard panels) at the demo's
# size and at ten times it, not part of `make test`: a throw-away SQLite file in /tmp; about 2 minutes.
# BENCH_ARGS="50" for 50 requests a line, "--keep" to keep the database.
bench-networking: install
	$(PY) bench/networking.py $(BENCH_ARGS)

# Issue 13's benchmarks, not part of `make test`: pages under gunicorn against a bare Django view (wrk; SQLite and
# PostgreSQL, the demo and the club at 10x, bench/pages.py), then a 60 s load run on PostgreSQL and Redis
# (bench/load.py). Throw-away databases (a file in /tmp, bench_pages and bench_load on 127.0.0.1:5432, Redis db 5);
# tables in bench/results/. About 35 minutes on two CPUs. PAGES_ARGS="--engines sqlite --sizes demo", LOAD_ARGS=...
bench: install messages
	command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) bench/pages.py $(PAGES_ARGS)
	$(PY) bench/load.py $(LOAD_ARGS)
