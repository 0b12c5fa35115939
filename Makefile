# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
AIRFLOW := $(VENV)/bin/airflow
export AIRFLOW_HOME ?= $(CURDIR)/.airflow-home
PORT ?= 8080

.PHONY: install run test bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Initialise the DB, put the example DAGs in $AIRFLOW_HOME/dags (never over a file there) and
# start everything on :8080.
run: install
	$(AIRFLOW) db init
	mkdir -p $(AIRFLOW_HOME)/dags
	cp -n examples/dags/*.py $(AIRFLOW_HOME)/dags/
	$(AIRFLOW) standalone --port $(PORT)

test: install
	$(PY) -m pytest -q

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .airflow-home test-output .pytest_cache
