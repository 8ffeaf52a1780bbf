# Two commands for a newcomer: `make serve` and `make test`. Each sets up .venv/ from the lock file first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
KB     := PYTHONPATH=hooks $(BIN)/python -m
# Silences Material's end-of-life banner, which is not about this site.
export NO_MKDOCS_2_WARNING := 1
TRANSLATED := el ru tr lt

.PHONY: setup serve build test status mark-current translations bench lock clean

setup: $(STAMP)

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "error: '$(PYTHON) -m venv' failed; on Debian run: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

# make serve LANG=ru (or ONLY=ru): build and serve that language only (README, Performance). LANG counts
# only on the command line (in the environment it is the locale, e.g. en_US.UTF-8) and is not passed on.
ifeq ($(origin LANG),command line)
ONLY := $(LANG)
unexport LANG
endif
serve: $(STAMP)
	$(if $(filter-out en $(TRANSLATED),$(ONLY))$(word 2,$(ONLY)),$(error unknown language '$(ONLY)': make serve LANG=… takes one of en $(TRANSLATED)))
	KB_ONLY_LANGUAGE="$(ONLY)" $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

# Build into site.tmp/ and swap only on success, so that a failed build never leaves site/ half-written.
build: $(STAMP)
	@rm -rf site.tmp
	$(BIN)/mkdocs build --strict --site-dir site.tmp
	@rm -rf site.old; if [ -d site ]; then mv site site.old; fi; mv site.tmp site; rm -rf site.old
	@echo "site/ is ready"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Translation status, pages by languages; exits non-zero when any page has an error.
status: $(STAMP)
	@$(KB) kb.status

# After updating a translation: make mark-current FILE=docs/el/playbooks/asking-for-referrals.md
mark-current: $(STAMP)
	@$(KB) kb.staleness $(FILE)

# Interface text: extract from hooks and templates, update each language's catalog, compile.
# Translators edit locales/<lang>/LC_MESSAGES/messages.po with any PO editor.
translations: $(STAMP)
	@mkdir -p locales
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --sort-by-file --add-location=file --no-wrap -o locales/messages.pot .
	@for lang in $(TRANSLATED); do \
	  if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update --ignore-pot-creation-date --no-wrap -i locales/messages.pot -d locales -l $$lang; \
	  else \
	    $(BIN)/pybabel -q init --no-wrap -i locales/messages.pot -d locales -l $$lang; \
	  fi; \
	done
	$(BIN)/pybabel -q compile --statistics -d locales

# Benchmark: build time with and without our hooks, checks alone, `make serve` reload (README, Performance).
# PAGES: synthetic sizes, pages per language; RUNS: builds with and without hooks per tree, alternating
# (BIG_RUNS from 500 pages per language, where one build takes minutes). Writes bench/results.md.
PAGES    ?= 20 100 500
RUNS     ?= 5
BIG_RUNS ?= 1
# INSTRUCTIONS=1 also counts the instructions of builds with and without hooks under valgrind (slow).
INSTRUCTIONS ?=
bench: $(STAMP)
	$(BIN)/python bench/run.py --pages "$(PAGES)" --runs $(RUNS) --big-runs $(BIG_RUNS) $(if $(INSTRUCTIONS),--instructions)

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --generate-hashes --allow-unsafe --extra test -o requirements.lock pyproject.toml

clean:
	rm -rf site site.tmp site.old .pytest_cache
