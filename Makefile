# Everyday targets. `make demo` and `make test` work on a fresh clone.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
GOLD ?= seeds/gold
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu

.PHONY: install demo test test-fast eval bench lint clean train-ner

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# PyTorch's CPU wheel first, from its CPU index on Linux: a bare torch requirement
	# pulls the CUDA build (gigabytes). Without that index (offline, a mirror), the plain
	# requirement. TORCH_INDEX=<a CUDA index> installs a GPU build (README); empty: the plain requirement.
	if [ "$$(uname -s)" = Linux ] && [ -n "$(TORCH_INDEX)" ]; then \
	    $(BIN)/python -m pip install --quiet --retries 1 --timeout 20 --index-url $(TORCH_INDEX) torch==2.13.0 \
	    || $(BIN)/python -m pip install --quiet torch==2.13.0; \
	else \
	    $(BIN)/python -m pip install --quiet torch==2.13.0; \
	fi
	$(BIN)/python -m pip install --quiet -e '.[test,explore]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(BIN)/kg

install: $(BIN)/kg

demo: install
	$(BIN)/kg build seeds/*.txt --out out  # the articles only: seeds/gold holds their annotations

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
	$(BIN)/python bench/bench_memory.py

train-ner: install  # the shipped models: generated sentences only, seed 1234
	$(BIN)/kg train-ner --templates 8000 --install

clean:
	rm -rf out build *.egg-info .pytest_cache
