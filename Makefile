# The course's commands. Learners need two: `make lab` and `make test`.
# Each creates .venv from requirements.txt on first use and reuses it afterwards.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
LESSON ?= 01
# JupyterLab refuses to run as root (common in containers) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test check lessons solutions bench clean hub-tools test-hub progress nbgrader-env test-classroom

$(STAMP): requirements.txt pyproject.toml Makefile
	@echo "Setting up the course's Python environment in $(VENV)/: a few minutes, once. pip shows its progress."
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar on -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	@# The course runs offline: no "Jupyter news?" prompt, and no news fetched (only this .venv is changed).
	$(BIN)/jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1
	touch $(STAMP)

## make lab: open JupyterLab on the course's start page; Ctrl+C twice in this terminal stops it
## (LAB_ARGS: extra options, e.g. make lab LAB_ARGS=--port=8890 when port 8888 is taken)
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/lessons/00_welcome.ipynb \
	  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(ROOT_FLAG) $(LAB_ARGS)

## make test: unit tests, exercise-check tests, then every solution notebook under nbval
## with one and with two BLAS threads (its outputs must not depend on the thread count)
test: $(STAMP)
	$(PY) -m pytest -m "not classroom"
	for t in 1 2; do \
	  echo "== solutions under nbval, $$t BLAS thread(s) =="; \
	  OPENBLAS_NUM_THREADS=$$t OMP_NUM_THREADS=$$t MKL_NUM_THREADS=$$t \
	    $(PY) -m pytest $(NBVAL) solutions || exit 1; \
	done

## make check LESSON=01: check your exercises in lessons/01_*.ipynb (save the notebook first).
## It prints the exercise report and exits 0 whether or not every exercise passes: the report is the
## answer, not an error. STRICT=1 exits 1 when an exercise or another cell fails (for scripts and CI).
## It exits non-zero without STRICT only when the lesson cannot be run at all.
LESSON_FILE = $(wildcard lessons/$(LESSON)_*.ipynb)
check: $(STAMP)
	@test -n "$(LESSON_FILE)" || { echo "make check: no lesson lessons/$(LESSON)_*.ipynb;" \
	  "give its two-digit number, e.g. make check LESSON=01"; exit 2; }
	@echo "Running $(LESSON_FILE) top to bottom in a fresh kernel..."
	@$(PY) -m pytest --nbval-lax --nbval-current-env -q --tb=no -rN -o console_output_style=classic \
	  --exercise-report-only $(LESSON_FILE); status=$$?; \
	  if [ $$status -eq 1 ] && [ -z "$(STRICT)" ]; then exit 0; fi; exit $$status

## make progress: every lesson in lessons/, each exercise passed, failed or not attempted (your notebooks
## are read, never changed; save them first)
progress: $(STAMP)
	@$(PY) -m utils.progress_report lessons

## make lessons: write lessons/ from solutions/ (authors only)
lessons: $(STAMP)
	$(PY) -m utils.authoring lessons

## make solutions: re-run the solution notebooks and store their outputs (authors only)
solutions: $(STAMP)
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(PY) -m utils.authoring execute solutions/*.ipynb

## make bench: print the speed and accuracy figures of benchmarks/
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

## make hub-tools: what a JupyterHub for the course needs (tests/test_hub.py, benchmarks/bench_hub.py,
## INSTRUCTORS.md): JupyterHub and nbgitpuller in .venv-hub with the course and its requirements, and
## configurable-http-proxy from npm in .hub-node (version 4 where Node.js is older than 20)
HUB_VENV  := .venv-hub
HUB_STAMP := $(HUB_VENV)/.installed
HUB_PROXY := .hub-node/node_modules/.bin/configurable-http-proxy
hub-tools: $(HUB_STAMP) $(HUB_PROXY)
$(HUB_STAMP): requirements.txt hub/requirements.txt pyproject.toml
	test -x $(HUB_VENV)/bin/python || $(PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -r requirements.txt -r hub/requirements.txt
	$(HUB_VENV)/bin/python -m pip install --quiet --no-deps --editable .
	touch $@
$(HUB_PROXY):
	npm install --prefix .hub-node --no-audit --no-fund --loglevel=error \
	  configurable-http-proxy@$$(node -p 'process.versions.node.split(".")[0] >= 20 ? 5 : 4')

## make test-hub: only the hub's part of test-classroom: two students on a real JupyterHub on 127.0.0.1
test-hub: $(STAMP) hub-tools
	$(PY) -m pytest -m classroom tests/test_hub.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

## make nbgrader-env: nbgrader, pinned, in its own environment .venv-nbgrader with the course installed
## (a learner does not need it; instructors grading with nbgrader and `make test-classroom` do)
NBGRADER_VERSION := 0.9.6
NBGRADER_VENV    := .venv-nbgrader
NBGRADER_STAMP   := $(NBGRADER_VENV)/.installed
nbgrader-env: $(NBGRADER_STAMP)
$(NBGRADER_STAMP): requirements.txt pyproject.toml
	test -x $(NBGRADER_VENV)/bin/python || $(PYTHON) -m venv $(NBGRADER_VENV)
	$(NBGRADER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NBGRADER_VENV)/bin/python -m pip install --quiet "nbgrader==$(NBGRADER_VERSION)" --editable .
	touch $@

## make test-classroom: the course in a classroom, slow tests that `make test` skips (CI runs both):
## nbgrader's round trip on every lesson, a clean environment from the Binder files running every
## solution, a read-only course copied to a student's home, offline, and two students on a real
## JupyterHub (tests/test_hub.py, with the tools of make hub-tools)
test-classroom: $(STAMP) $(NBGRADER_STAMP) hub-tools
	NBGRADER_PYTHON=$(CURDIR)/$(NBGRADER_VENV)/bin/python $(PY) -m pytest -m classroom tests/test_nbgrader.py tests/test_binder.py \
	  tests/test_hub.py
