# CEA Portal — the single entry point. `make run` and `make test` do everything.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1:8000

.PHONY: pending-translations run install install-dev migrate demo serve test test-fast lint format messages check-messages bench clean worker beat browser

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## make run: virtualenv, install, migrate, demo data, serve on http://$(HOST) (SQLite, eager tasks)
## (another host or port: `make run HOST=0.0.0.0:8080`; emails are printed on this console)
run: demo
	@echo "CEA Portal on http://$(HOST)/  (admin: admin@cea.test / demo-pass-2026, see README.md)"
	RUN_HOST=$(HOST) $(PY) manage.py runserver $(HOST)

## make test: dev requirements, then the whole suite (PostgreSQL when DATABASE_URL is set), spread
## over one pytest-xdist worker per core (each worker its own test database, Redis database and
## live server; the benchmark tests share one worker; PYTEST_XDIST="-n 0" runs in one process,
## PYTEST_ARGS adds or overrides options)
PYTEST_XDIST ?= -n auto --dist loadgroup
test: install-dev browser
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/pytest $(PYTEST_XDIST) -m "not browser" -x $(PYTEST_ARGS)

# Debian's Chromium for the Playwright tests (playwright's own browser download does not work here).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium >/dev/null); \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) to run the browser tests"; fi; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l sq -l sr_Latn -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=static --ignore=tests --ignore=locale_thirdparty --extension=html,txt,py,svg
	$(PY) manage.py compilemessages --ignore=.venv

check-messages: install
	$(PY) scripts/check_translations.py

# Branches leave their strings' translations in locale/pending/*.json (see the script): fill
# them into the catalogues, then `git rm -r locale/pending`.
pending-translations: install-dev messages
	$(PY) scripts/fill_translations.py
	$(PY) manage.py compilemessages --ignore=.venv
	$(PY) scripts/check_translations.py

worker: install
	RUN_HOST=$(HOST) $(BIN)/celery -A config worker -l info

beat: install
	RUN_HOST=$(HOST) $(BIN)/celery -A config beat -l info

# The benchmarks run on PostgreSQL and Redis, as production does (the local servers unless
# DATABASE_URL and REDIS_URL say otherwise).
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench: export REDIS_URL ?= redis://127.0.0.1:6379/0
bench: install-dev
	$(PY) manage.py bench $(BENCH)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media private_media
