# Two commands (see README): `make run` and `make test`.  Both set up what they need, idempotently.
SHELL := /bin/bash
DEBIAN_PACKAGES := fonts-noto-cjk poppler-utils chromium libreoffice-writer-nogui make
UV := python3 -m uv
export GONGKAI_DATA_DIR ?= $(CURDIR)/data

.PHONY: setup run test lint bench

setup:
	@bash scripts/setup.sh

## run: the reader on the corpus (the web application will take this place once it exists)
run: setup
	$(UV) run gongkai check ../shared/corpus/seed/000_db8b9a3c8d2b1499.txt ../shared/corpus/real/*.md \
		../shared/corpus/real/*.html ../shared/corpus/real/*.pdf || true
	$(UV) run gongkai extract ../shared/corpus/seed/000_db8b9a3c8d2b1499.txt --flat

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
