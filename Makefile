# Two commands for a newcomer: `make serve` and `make test`. Each sets up .venv/ from the lock file first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
KB     := PYTHONPATH=hooks $(BIN)/python -m
# Silences Material's end-of-life banner, which is not about this site.
export NO_MKDOCS_2_WARNING := 1
# Values given on the command line (FILE=, TITLE="Refund $$50", SLUG=, PORT=, …) are text, never make or shell
# code: each is kept as typed (make would expand "$$50" and run "$$(shell …)" when exporting it) and reaches the
# recipes only in their environment. Recipes read them there ("$$FILE" in double quotes, or os.environ in
# Python), never as $$(FILE) inside a shell line.
# (LANG is kept apart: make serve LANG=ru, below.)
$(foreach name,$(filter-out LANG,$(.VARIABLES)),$(if $(filter command line,$(origin $(name))),$(eval override export $(name) := $$(value $(name)))))
# The languages, as mkdocs.yml lists them (its i18n plugin: the one list; kb/content/languages.py), asked when a recipe needs them.
LANGUAGES  = $(shell $(KB) kb.content.languages)
TRANSLATED = $(shell $(KB) kb.content.languages --translated)
EXTRACT    = $(BIN)/pybabel -q extract -F babel.cfg -k N_ -k interface_text --sort-by-file --add-location=file --no-wrap -o locales/messages.pot .

.PHONY: setup serve build publish part assemble test status check zensical-trial diff mark-current no-retranslation new-page move-page add-language po po-import translations bench lock clean

setup: $(STAMP)

# pip's output (notices about the index locations of a machine's pip configuration, say) only when it fails.
$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "error: '$(PYTHON) -m venv' failed; on Debian run: apt-get install python3-venv"; exit 1; }
	@echo "setting up $(VENV)/ from requirements.lock"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock >$(VENV)/pip.log 2>&1 \
	  || { cat $(VENV)/pip.log; echo "error: pip could not install requirements.lock (its output is above and in $(VENV)/pip.log)"; exit 1; }
	@touch $@

# make serve LANG=ru (or ONLY=ru): build and serve that language only (README, Performance). LANG counts
# only on the command line (in the environment it is the locale, e.g. en_US.UTF-8) and is not passed on.
ifeq ($(origin LANG),command line)
ONLY := $(value LANG)
unexport LANG
endif
PORT ?= 8000
export PORT
serve: $(STAMP)
	$(if $(filter-out $(LANGUAGES),$(ONLY))$(word 2,$(ONLY)),$(error unknown language '$(ONLY)': make serve LANG=… takes one of $(LANGUAGES)))
	@$(KB) kb.generator.preview || exit 1
	KB_ONLY_LANGUAGE="$(ONLY)" $(BIN)/mkdocs serve --dev-addr "127.0.0.1:$$PORT" --livereload   # ONLY: a code, checked above

# Build into a folder of its own and swap it in only on success, so that site/ is always one complete
# build; a second `make build` at the same time waits for the first (a lock), then builds. Under the lock no
# other build of this folder runs, so a site.tmp.*/site.old.* found then is a killed build's: removed first.
# MkDocs runs through kb.generator.building, so that a full disk is one line, not a traceback; kb.generator.parts runs it for
# the languages in JOBS processes side by side (default: one per CPU; JOBS=1: one MkDocs build, as before)
# and assembles their parts into the site one build makes (README, "Building by language (CI matrix)").
# make publish builds the same way, but a translation with an error is published as its fallback page
# (kb/translation/slips.py; README, Deploying): it lists what it replaced, then ends make with status 141 (SIGPIPE,
# which neither make nor the shell reports) instead of 0; a build that stops is make's usual 2.
# make assemble swaps in, the same way, the site assembled from the parts in site-parts/ (make part, in CI).
JOBS ?=
export JOBS
build publish assemble: $(STAMP)
	@$(if $(filter assemble,$@),:,[ -n "$$KB_SITE_URL" ]) || echo "warning: KB_SITE_URL is not set: printed pages will show http://127.0.0.1:8000/ as the site's address (KB_SITE_URL=http://kb.example.intranet/ make $@)"
	@exec 9>.build.lock; \
	if ! flock -n 9; then echo "make $@: another build is running here; waiting for it to finish"; flock 9; fi; \
	rm -rf site.tmp.* site.old.*; \
	tmp=$$(mktemp -d site.tmp.XXXXXX) && chmod 755 $$tmp || exit 1; \
	if $(if $(filter publish,$@),KB_PUBLISH="$$tmp.report") $(if $(filter assemble,$@),$(KB) kb.generator.parts assemble --site-dir $$tmp site-parts/*/,$(KB) kb.generator.parts build --strict --site-dir $$tmp); then \
	  old=site.old.$$$$; if [ -d site ]; then mv site $$old; fi; mv $$tmp site; rm -rf $$old; $(if $(filter-out publish,$@),echo "site/ is ready";) \
	else rm -rf $$tmp $$tmp.report; echo "make $@: stopped; site/ is as it was"; exit 1; fi$(if $(filter publish,$@),; \
	$(KB) kb.translation.slips "$$tmp.report"; status=$$?; rm -f "$$tmp.report"; if [ $$status = 3 ]; then kill -PIPE $$PPID; fi; exit $$status)

# One part of the site, for a CI job of its own (README, "Building by language (CI matrix)"): make part LANG=ru
# builds Russian into site-parts/ru/ (its pages, checked against every language); make assemble joins the parts.
part: $(STAMP)
	$(if $(ONLY),,$(error make part needs a language: make part LANG=… (one of $(LANGUAGES))))
	$(if $(filter-out $(LANGUAGES),$(ONLY))$(word 2,$(ONLY)),$(error unknown language '$(ONLY)': make part LANG=… takes one of $(LANGUAGES)))
	@[ -n "$$KB_SITE_URL" ] || echo "warning: KB_SITE_URL is not set: printed pages will show http://127.0.0.1:8000/ as the site's address (KB_SITE_URL=http://kb.example.intranet/ make $@)"
	@rm -rf "site-parts/$(ONLY)"; \
	if $(KB) kb.generator.parts part "$(ONLY)" --strict --site-dir "site-parts/$(ONLY)"; then echo "site-parts/$(ONLY)/ is ready"; \
	else rm -rf "site-parts/$(ONLY)"; echo "make part: stopped"; exit 1; fi

test: $(STAMP)
	$(BIN)/python -c "import os, shlex, sys, pytest; sys.exit(pytest.main(shlex.split(os.environ.get('PYTEST_ARGS', ''))))"

# Translation status, pages by languages; exits non-zero when any page has an error. kb.translation.status prints the
# reason itself; make would then add "make: *** [Makefile: status] Error 1", so on failure the recipe ends
# make with SIGPIPE, which neither make nor the shell reports (exit status 141).
# make status LANG=ru (or ONLY=ru): that language only.
status: export KB_ONLY_LANGUAGE := $(ONLY)
status: $(STAMP)
	@$(KB) kb.translation.status || { kill -PIPE $$PPID; exit 1; }

# The checks of make build, without building (kb/checking/check.py): one line per problem that stops the build (the lines
# the build prints), exit status 1 when any; the same before MkDocs or any other generator, and in CI.
check: $(STAMP)
	@$(KB) kb.checking.check || { kill -PIPE $$PPID; exit 1; }

# A trial build with Zensical and zensical-i18n in a venv of their own, .venv-zensical/ (never in the lock file),
# from a copy in .zensical-trial/; one line per finding (README, "Another generator: Zensical trial").
zensical-trial: $(STAMP)
	$(BIN)/python tools/zensical_trial.py

# What changed in the origin since a translation was marked current: make diff FILE=docs/ru/faq/index.md
diff: $(STAMP)
	@$(KB) kb.translation.diff || { kill -PIPE $$PPID; exit 1; }

# After updating a translation: make mark-current FILE=docs/el/playbooks/asking-for-referrals.md
# (a folder marks its outdated pages; FORCE=1 marks a file that has not changed since its origin did)
mark-current: $(STAMP)
	@$(KB) kb.translation.staleness $(if $(FORCE),--force) || { kill -PIPE $$PPID; exit 1; }

# After an origin change that needs no retranslation (a typo, a link): make no-retranslation FILE=docs/en/faq/index.md
no-retranslation: $(STAMP)
	@$(KB) kb.translation.staleness --no-retranslation || { kill -PIPE $$PPID; exit 1; }

# A new page in its origin language, from its type's template (README, For translators):
# make new-page TYPE=checklist SLUG=first-call ORIGIN=en TITLE="First call"
# (make hands TYPE, SLUG, ORIGIN and TITLE to kb.translation.newpage in the environment: no shell quoting of TITLE)
new-page: $(STAMP)
	@$(KB) kb.translation.newpage || { kill -PIPE $$PPID; exit 1; }

# A page moved or renamed in every language, links and translations following, the old address redirected
# (README, For translators): make move-page FROM=checklists/be-sure TO=checklists/keys-to-service
move-page: $(STAMP)
	@$(KB) kb.translation.move || { kill -PIPE $$PPID; exit 1; }

# A new language, set up for its translators (README, Adding a language): make add-language CODE=de
add-language: $(STAMP)
	@mkdir -p locales && $(EXTRACT)
	@$(KB) kb.content.languages add || { kill -PIPE $$PPID; exit 1; }

# Page content through PO catalogs, for CAT tools (README, For translators): make po LANG=ru writes
# po/ru/<page>.po; make po-import LANG=ru writes the translations back into docs/ru/ and checks them.
po po-import: export KB_ONLY_LANGUAGE := $(ONLY)
po: $(STAMP)
	@$(KB) kb.translation.po export || { kill -PIPE $$PPID; exit 1; }
po-import: $(STAMP)
	@$(KB) kb.translation.po import || { kill -PIPE $$PPID; exit 1; }

# Interface text: extract from hooks and templates, update each language's catalog, compile.
# Translators edit locales/<lang>/LC_MESSAGES/messages.po with any PO editor.
translations: $(STAMP)
	@mkdir -p locales
	$(EXTRACT)
	@for lang in $(TRANSLATED); do \
	  if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update --ignore-pot-creation-date --no-wrap -i locales/messages.pot -d locales -l $$lang; \
	  else \
	    $(BIN)/pybabel -q init --no-wrap -i locales/messages.pot -d locales -l $$lang; \
	  fi; \
	done
	$(BIN)/pybabel -q compile --statistics -d locales

# Benchmark: build time with and without our hooks, checks alone, `make serve` reload (README, Performance).
# PAGES: synthetic sizes, pages per language (the growth table: ms and KiB per page at each); RUNS: builds with
# and without hooks per tree, alternating (BIG_RUNS from 500 pages per language, where one build takes minutes).
# Writes bench/results.md.
PAGES    ?= 20 100 500 1000
RUNS     ?= 5
BIG_RUNS ?= 1
# INSTRUCTIONS=1 also counts the instructions of builds with and without hooks under valgrind (slow).
INSTRUCTIONS ?=
export PAGES RUNS BIG_RUNS
bench: $(STAMP)
	$(BIN)/python bench/run.py --pages "$$PAGES" --runs "$$RUNS" --big-runs "$$BIG_RUNS" $(if $(INSTRUCTIONS),--instructions)

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --generate-hashes --allow-unsafe --extra test -o requirements.lock pyproject.toml

clean:
	rm -rf site site.tmp* site.old* site-parts .build.lock .pytest_cache
