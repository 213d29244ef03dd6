# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# the first Python 3.11+ found (Rocky/Alma 9's python3 is 3.9: python3.11 is beside it)
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; \
	done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test doctor bench soak install clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: no Python 3.11 or newer found (see the README's set-up lines)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/schedstudio

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# what this machine lacks (Python, Qt's system libraries, fonts, display), named
doctor: $(STAMP)
	$(BIN)/schedstudio doctor

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench.soak

clean:
	rm -rf $(VENV) build *.egg-info
