# Everyday targets. `make demo` and `make test` work on a fresh clone.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
GOLD ?= seeds/gold

.PHONY: install demo test test-fast eval bench lint clean train-ner

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU wheel first: a bare torch requirement would pull the CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test,explore]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(BIN)/kg

install: $(BIN)/kg

demo: install
	$(BIN)/kg build seeds --out out

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not model and not browser"

eval: demo
	$(BIN)/kg eval --gold $(GOLD) out/extraction.json

bench: install
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_ner.py
	$(BIN)/python bench/bench_resolve.py
	$(BIN)/python bench/bench_query.py

train-ner: install
	$(BIN)/kg train-ner

clean:
	rm -rf out build *.egg-info .pytest_cache
