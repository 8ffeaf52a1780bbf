# Two commands for a newcomer: `make serve` and `make test`. Each sets up .venv/ from the lock file first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
KB     := PYTHONPATH=hooks $(BIN)/python -m
# Silences Material's end-of-life banner, which is not about this site.
export NO_MKDOCS_2_WARNING := 1
TRANSLATED := el ru tr lt

.PHONY: setup serve build test status diff mark-current no-retranslation new-page translations bench lock clean

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
PORT ?= 8000
serve: $(STAMP)
	$(if $(filter-out en $(TRANSLATED),$(ONLY))$(word 2,$(ONLY)),$(error unknown language '$(ONLY)': make serve LANG=… takes one of en $(TRANSLATED)))
	@$(BIN)/python -c "import socket; socket.socket().bind(('127.0.0.1', $(PORT)))" 2>/dev/null || { echo "make serve: port $(PORT) is already in use (another make serve?): choose another, e.g. make serve PORT=8001"; exit 1; }
	KB_ONLY_LANGUAGE="$(ONLY)" $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT) --livereload

# Build into a folder of its own and swap it in only on success, so that site/ is always one complete
# build; a second `make build` at the same time waits for the first (a lock), then builds.
build: $(STAMP)
	@[ -n "$$KB_SITE_URL" ] || echo "warning: KB_SITE_URL is not set: printed pages will show http://127.0.0.1:8000/ as the site's address (KB_SITE_URL=http://kb.example.intranet/ make build)"
	@exec 9>.build.lock; \
	if ! flock -n 9; then echo "make build: another build is running here; waiting for it to finish"; flock 9; fi; \
	tmp=$$(mktemp -d site.tmp.XXXXXX) && chmod 755 $$tmp || exit 1; \
	if $(BIN)/mkdocs build --strict --site-dir $$tmp; then \
	  old=site.old.$$$$; if [ -d site ]; then mv site $$old; fi; mv $$tmp site; rm -rf $$old; echo "site/ is ready"; \
	else rm -rf $$tmp; echo "make build: stopped; site/ is as it was"; exit 1; fi

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Translation status, pages by languages; exits non-zero when any page has an error. kb.status prints the
# reason itself; make would then add "make: *** [Makefile: status] Error 1", so on failure the recipe ends
# make with SIGPIPE, which neither make nor the shell reports (exit status 141).
status: $(STAMP)
	@$(KB) kb.status || { kill -PIPE $$PPID; exit 1; }

# What changed in the origin since a translation was marked current: make diff FILE=docs/ru/faq/index.md
diff: $(STAMP)
	@$(KB) kb.diff "$(FILE)" || { kill -PIPE $$PPID; exit 1; }

# After updating a translation: make mark-current FILE=docs/el/playbooks/asking-for-referrals.md
# (a folder marks its outdated pages; FORCE=1 marks a file that has not changed since its origin did)
mark-current: $(STAMP)
	@$(KB) kb.staleness $(if $(FORCE),--force) "$(FILE)" || { kill -PIPE $$PPID; exit 1; }

# After an origin change that needs no retranslation (a typo, a link): make no-retranslation FILE=docs/en/faq/index.md
no-retranslation: $(STAMP)
	@$(KB) kb.staleness --no-retranslation "$(FILE)" || { kill -PIPE $$PPID; exit 1; }

# A new page in its origin language, from its type's template (README, For translators):
# make new-page TYPE=checklist SLUG=first-call ORIGIN=en TITLE="First call"
# (make hands TYPE, SLUG, ORIGIN and TITLE to kb.newpage in the environment: no shell quoting of TITLE)
new-page: $(STAMP)
	@$(KB) kb.newpage

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
	rm -rf site site.tmp* site.old* .build.lock .pytest_cache
