# Two commands (see README): `make run` and `make test`.  Both set up what they need, idempotently.
SHELL := /bin/bash
UV := python3 -m uv
export GONGKAI_DATA_DIR ?= $(CURDIR)/data

.PHONY: setup run read test lint bench

setup:
	@bash scripts/setup.sh

## run: the web application (gunicorn) on SQLite with demo data, at http://127.0.0.1:8000/
run: setup
	$(UV) run gongkai serve --demo --host 127.0.0.1 --port 8000

## read: the reader on the corpus (extract and check every report in tests/corpus)
read: setup
	$(UV) run gongkai check tests/corpus/ || true
	$(UV) run gongkai extract tests/corpus/seed/000_db8b9a3c8d2b1499.txt --flat

## test: every test, on SQLite, then the database tests again on PostgreSQL
test: setup
	$(UV) run ruff check src tests bench
	$(UV) run pytest -n 2 -p no:cacheprovider
	bash scripts/postgres.sh
	GONGKAI_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test $(UV) run pytest -n 2 -p no:cacheprovider tests/web

lint: setup
	$(UV) run ruff check src tests bench

bench: setup
	$(UV) run python bench/read.py
	$(UV) run python bench/render.py
	$(UV) run python bench/compile.py
