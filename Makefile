# Hecha's commands. `make run` sets up and serves the app for trying it out; `make serve` runs
# it as in production; `make test` runs the whole suite. Each creates the virtual environment
# and installs the pinned requirements when needed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Production never debugs, whatever the environment says.
PRODUCTION := DJANGO_DEBUG=false

.PHONY: run serve worker test lint format messages setup install migrate seeds demo-users demo-passwords unlock clean

run: setup
	@echo
	@echo "Hecha is starting on http://$(HOST):$(PORT)/"
	@echo "Log in as admin, editor, reviewer or viewer with the password printed when the account"
	@echo "was created (new passwords: make demo-passwords). Admin: http://$(HOST):$(PORT)/admin/"
	@echo "Background jobs (large exports, imports) run in a worker started beside it."
	@echo "Stop both with Ctrl-C."
	@echo
	export DJANGO_DEBUG=$${DJANGO_DEBUG:-true}; \
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: settings from the environment (see README), static files collected for
# WhiteNoise, the deployment checks, then gunicorn and a background-job worker beside it,
# stopped with it. JOB_WORKERS=0 starts none, for app servers whose workers run elsewhere.
JOB_WORKERS ?= 1
serve: install
	$(PRODUCTION) $(BIN)/python manage.py migrate --no-input
	$(PRODUCTION) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(PRODUCTION) $(BIN)/python manage.py check --deploy
	export $(PRODUCTION); workers=""; \
	for n in $$(seq 1 $(JOB_WORKERS)); do \
		$(BIN)/python manage.py db_worker & workers="$$workers $$!"; \
	done; \
	trap 'kill $$workers 2>/dev/null; wait $$workers' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile -

# A background-job worker alone, for a machine that runs no web server.
worker: install
	$(PRODUCTION) $(BIN)/python manage.py db_worker

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The translation catalogues: gather every string marked for translation into
# locale/<language>/LC_MESSAGES/*.po, then compile them into the .mo files Django reads. Both
# are committed, so only those who change a text need GNU gettext (apt-get install gettext).
MESSAGES := DJANGO_DEBUG=true $(BIN)/python manage.py
MESSAGES_FLAGS := -l zh_Hant -l zh_Hans --no-obsolete --ignore '$(VENV)/*' --ignore 'benchmarks/*' \
	--ignore '*/tests/*' --ignore conftest.py --ignore 'staticfiles/*'

messages: install
	$(MESSAGES) makemessages $(MESSAGES_FLAGS)
	$(MESSAGES) makemessages -d djangojs $(MESSAGES_FLAGS)
	$(MESSAGES) compilemessages --ignore '$(VENV)'

setup: install migrate seeds demo-users

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

migrate: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input

seeds: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py load_seeds

demo-users: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py create_demo_users

demo-passwords: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py create_demo_users --reset

# Failed logins lock an account or an address out for a while; this lets everyone in again.
unlock: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py axes_reset

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache var
