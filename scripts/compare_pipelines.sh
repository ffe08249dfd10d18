#!/usr/bin/env bash
# Choose the NLU pipeline by 5-fold cross-validation on data/nlu (never on the held-out set) and write
# docs/nlu.md: every pipeline in coach/nlu/compare.py's PIPELINES plus the TF-IDF baseline, same folds.
# Usage: scripts/compare_pipelines.sh [--only NAME ...] [--doc-only] [--force]
#   (from `make compare-pipelines`; ~6 minutes per pipeline on 2 cores, cached runs are reused)
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
mkdir -p results/cv
# Rasa's and TensorFlow's progress bars go to results/cv/compare.log; the table goes to stdout.
.venv/bin/python -m coach.nlu.compare "$@" 2> results/cv/compare.log \
  || { tail -30 results/cv/compare.log; exit 1; }
