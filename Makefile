# `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := ./manage
STATIC := app/static

.PHONY: run test lint bench screenshots install assets system-packages clean

run: install assets
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) surveys load
	@echo ""
	@echo "Serving at http://127.0.0.1:8000 (Ctrl+C to stop)."
	@echo "To sign in as the first officer, in another terminal run:"
	@echo "  ./manage users create you@example.org --role officer"
	@echo "and open the link it prints to set your password."
	@echo ""
	FLASK_CONFIG=development $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: system-packages install assets lint
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install assets
	$(BIN)/python bench/run.py

# Every public page at 360 and 1280 px wide, as PNGs in screenshots/ (never part of `make test`).
screenshots: install assets
	$(BIN)/python scripts/screenshots.py

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

assets: $(STATIC)/main.css $(STATIC)/app.js $(STATIC)/govuk/govuk-frontend.min.js

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(STATIC)/main.css: $(wildcard app/assets/*.scss) node_modules/.installed
	mkdir -p $(STATIC)
	npx sass --load-path=node_modules --style=compressed --no-source-map app/assets/main.scss $@

$(STATIC)/app.js: app/assets/app.js
	mkdir -p $(STATIC)
	cp $< $@

$(STATIC)/govuk/govuk-frontend.min.js: node_modules/.installed
	mkdir -p $(STATIC)/govuk
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

# Chromium and PostgreSQL for the browser and database tests; apt-get only where missing.
system-packages:
	@bash scripts/install-system-packages.sh

clean:
	rm -rf $(VENV) node_modules $(STATIC)
