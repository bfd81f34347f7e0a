# omniretail: `make demo` to try it, `make test` to check it. Both install what they need.
SHELL := /bin/bash
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
export OMNIRETAIL_DATA_DIR ?= var

.PHONY: demo test lint bench install serve worker i18n clean

# uv is installed with pip into .tools/ when it is not on PATH.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

# Bytecode is compiled at install (a no-op when it is current): where PYTHONDONTWRITEBYTECODE is set, every
# process would otherwise compile the whole stack again, 7 s instead of 3 s to start on 2 cores.
install: $(UV)
	$(UV) sync --frozen --compile-bytecode
	$(PY) -m compileall -q -j 0 src migrations >/dev/null

demo: install
	$(PY) -m omniretail.cli db upgrade
	$(PY) -m omniretail.cli demo load
	@echo ""
	@echo "  omniretail is starting on http://127.0.0.1:$(PORT)"
	@echo "    storefront   http://127.0.0.1:$(PORT)/"
	@echo "    POS          http://127.0.0.1:$(PORT)/pos"
	@echo "    back office  http://127.0.0.1:$(PORT)/admin"
	@echo "    API docs     http://127.0.0.1:$(PORT)/api/v1/docs"
	@echo "  demo logins (password demo-retail-2026):"
	@echo "    owner@demo.omniretail.dev  cashier@demo.omniretail.dev  franchise@demo.omniretail.dev"
	@echo "    shopper: anna@example.com"
	@echo ""
	$(PY) -m omniretail.cli serve --port $(PORT)

serve: install
	$(PY) -m omniretail.cli serve --port $(PORT)

worker: install
	$(PY) -m omniretail.cli worker

lint: install
	.venv/bin/ruff check src tests bench
	.venv/bin/mypy
	.venv/bin/lint-imports

# Two workers (pytest-xdist): each starts its own PostgreSQL cluster, SQLite file and Chromium.
test: install lint
	.venv/bin/pytest -q -n 2

bench: install
	@for script in bench/*.py; do echo "== $$script"; PYTHONPATH=. $(PY) $$script || exit 1; done

i18n: install
	.venv/bin/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext -k N_ --no-location -o src/omniretail/locale/messages.pot .
	.venv/bin/pybabel update -i src/omniretail/locale/messages.pot -d src/omniretail/locale --no-fuzzy-matching

clean:
	rm -rf .venv var test-artifacts .pytest_cache .mypy_cache .ruff_cache
