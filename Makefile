# Objection Coach. `make run` and `make test` do all the setup on a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
# Rasa's own CLI, started through the coach's launcher: known third-party deprecation warnings are
# filtered at their source (coach/server/logs.py), anything else still shows.
RASA   := $(PY) -m coach.server
MODEL  := models/coach.tar.gz
SPACY  := build/spacy_zh/meta.json
HELDOUT := tests/nlu/heldout.yml
RASA_PORT ?= 5005
ACTION_PORT ?= 5055

# Quiet TensorFlow's C++ logs, no telemetry (there is no network here).
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export ACTION_PORT

# What the trained model depends on. The playbook is not here: it is read by the action
# server at start-up, so editing it never needs retraining.
# Drills are not here either: trainers add them without retraining.
TRAIN_INPUTS := config.yml domain.yml data/rules.yml data/stories.yml $(wildcard data/nlu/*.yml) \
                data/lexicon/sales_terms.txt $(wildcard coach/nlu/*.py) $(wildcard coach/nlp/*.py) coach/i18n/__init__.py \
                data/moves/train.yml data/moves/playbook_lines.yml data/moves/moves.yml coach/moves/model.py \
                coach/content/moves.py

.PHONY: help setup train run shell test unit lint browser validate validate-drills try-drill test-nlu test-moves test-stories nlu-report \
        moves-report report trainer bench compare-pipelines lock clean

help:
	@echo "make run                 set up, train if the data changed, start the coach (Ctrl-C stops)"
	@echo "make shell               chat with the coach in this terminal (rasa shell)"
	@echo "make test                set up, lint, train if needed, run every test"
	@echo "make unit                the unit tests only (no model, no server; seconds after setup)"
	@echo "make lint                ruff and mypy over coach/ and actions/"
	@echo "make validate-drills     check the drill files (DRILLS=path/to/file.yml for one file)"
	@echo "make try-drill DRILL=id  play a drill in this terminal, nothing stored (STRATEGY=1 / PLAYBOOK=1 say its own / the playbook's lines)"
	@echo "make bench               load benchmark (1/10/50 simulated reps, coach vs bare Rasa; writes docs/performance.md),"
	@echo "                         one long conversation, replies while a 5 MB drill is saved"
	@echo "make scale-test          2 Rasa replicas + 2 action servers on private PostgreSQL/Redis/nginx: checks and benchmark"
	@echo "make report              drill results per rep and objection (BY=drill per drill, CSV=out.csv to export, REP=id for one rep)"
	@echo "make trainer NAME=...    create a trainer and print their one-time sign-in code (TEAM=... optional)"
	@echo "make nlu-report          regenerate docs/nlu_report.md from the held-out set (pipeline vs TF-IDF baseline)"
	@echo "make moves-report        regenerate docs/moves.md (move detection on held-out rep replies)"
	@echo "make compare-pipelines   cross-validate the NLU pipelines and the baseline on data/nlu, write docs/nlu.md"
	@echo "make lock                re-resolve requirements.in into requirements.lock"

setup:
	@scripts/setup_env.sh
	@$(MAKE) --no-print-directory $(SPACY)

$(SPACY): coach/nlp/build_spacy.py
	$(PY) -m coach.nlp.build_spacy build/spacy_zh

train: setup
	@$(MAKE) --no-print-directory $(MODEL)

$(MODEL): $(TRAIN_INPUTS) $(SPACY)
	@echo "[train] training data changed: training $(MODEL) (about 3 minutes on 2 cores)"
	@start=$$(date +%s); \
	$(RASA) train --config config.yml --domain domain.yml --data data/nlu data/rules.yml data/stories.yml \
	  --out models --fixed-model-name coach --force; \
	echo "[train] trained in $$(( $$(date +%s) - start ))s"
	@touch $(MODEL)

run: train
	@scripts/run.sh $(RASA_PORT) $(ACTION_PORT)

shell: train
	@scripts/shell.sh

validate: setup
	$(RASA) data validate --config config.yml --domain domain.yml --data data/nlu data/rules.yml data/stories.yml --fail-on-warnings

# Trainers: check drills without training anything. DRILLS defaults to data/drills.
validate-drills: setup
	@$(PY) -m coach.content.validate $(DRILLS)

# Trainers: a dry run of one drill, exactly as a rep's replies are read; nothing is stored.
try-drill: setup
	@test -n "$(DRILL)" || { echo "usage: make try-drill DRILL=<drill id> [STRATEGY=1 | PLAYBOOK=1] [DRILL_LANG=en] [FILE=data/drills/_draft.yml]"; exit 2; }
	@$(PY) -m coach.service.dry_run "$(DRILL)" $(if $(STRATEGY),--strategy) $(if $(PLAYBOOK),--playbook) $(if $(DRILL_LANG),--lang $(DRILL_LANG)) $(if $(FILE),--file "$(FILE)")

report: setup
	@$(PY) -m coach.results.report $(if $(BY),--by "$(BY)") $(if $(REP),--rep "$(REP)") $(if $(CSV),--csv "$(CSV)") $(if $(DB),--db "$(DB)")

# The first trainer (and any later one): prints a sign-in code once; only its hash is kept.
trainer: setup
	@test -n "$(NAME)" || { echo 'usage: make trainer NAME="Trainer name" [TEAM=team]'; exit 2; }
	@$(PY) -m coach.people.cli trainer --name "$(NAME)" $(if $(TEAM),--team "$(TEAM)")

# The unit suite needs no trained model and no server: seconds after setup.
unit: setup
	$(PY) -m pytest -q tests/unit

# ruff (lint + import order) and mypy over the coach's code; both pinned in requirements.lock.
lint: setup
	@echo "[lint] ruff"
	@$(VENV)/bin/ruff check coach actions tests scripts
	@echo "[lint] mypy"
	@$(VENV)/bin/mypy coach actions

# The check also trains the char 1-3-gram TF-IDF baseline (seconds) and gates: macro-F1 over the
# objection+situation intents >= 0.97 and >= baseline + 0.01, no out-of-scope line given a card.
test-nlu: train
	@echo "[test] NLU on the held-out set $(HELDOUT) (never used for training), beside the TF-IDF baseline"
	$(RASA) test nlu --nlu $(HELDOUT) --model $(MODEL) --out results/nlu --no-plot --successes > results-nlu.log 2>&1 || { tail -40 results-nlu.log; exit 1; }
	@rm -f results-nlu.log
	$(PY) -m coach.nlu.evaluate check results/nlu

test-moves: train
	@echo "[test] move detection on tests/moves/ (heldout, keymoves_heldout, negation); playbook_lines.yml up to date"
	$(PY) -m coach.moves.playbook_lines --check
	$(PY) -m coach.nlu.evaluate_moves check

# --e2e makes the story test also check the NLU intent of each user line (without it only actions are checked).
test-stories: train
	$(RASA) test core --e2e --stories tests/stories/test_stories.yml --model $(MODEL) --out results/core --fail-on-prediction-errors --no-plot
	$(RASA) test core --stories tests/stories/test_drill_stories.yml --model $(MODEL) --out results/core-drills --fail-on-prediction-errors --no-plot

browser:
	@scripts/browser_setup.sh

test: lint train browser
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory validate validate-drills test-nlu test-moves test-stories; \
	$(PY) -m pytest -q tests; \
	echo "[test] all checks passed in $$(( $$(date +%s) - start ))s (after setup and training)"

nlu-report: test-nlu
	$(PY) -m coach.nlu.evaluate markdown results/nlu docs/nlu_report.md

# Trains its own copies (to time training), starts the coach and a bare-Rasa ceiling on free ports,
# drives both with simulated reps. About 5 minutes. Figures only: make test runs a 2-rep smoke form.
# Then one sender's 300 messages, with and without the session cap (about 3 minutes), and a
# 5 MB drill file saved under a 10-rep load (about 1 minute): figures for docs/performance.md.
bench: train
	$(PY) scripts/bench.py run
	@echo "[bench] one long conversation (300 messages), with and without the session cap"
	$(PY) scripts/bench_long_conversation.py
	@echo "[bench] replies while a 5 MB drill file is saved, 10 reps"
	$(PY) scripts/bench_drill_load.py

# Private PostgreSQL, Redis and nginx under build/scale/ (installed with apt-get when missing, as root),
# two replicas of each server; consistency checks, then the benchmark through nginx. About 80 s after training.
.PHONY: scale-test
scale-test: train
	@scripts/scale_test.sh

moves-report: train
	$(PY) -m coach.moves.playbook_lines --check
	$(PY) -m coach.nlu.evaluate_moves markdown docs/moves.md

# Cross-validation on data/nlu (the held-out set is not used): ~5-10 minutes per changed pipeline.
compare-pipelines: setup
	scripts/compare_pipelines.sh

lock: setup
	scripts/lock.sh

clean:
	rm -rf build models results .state
