#!/usr/bin/env bash
# Train each NLU pipeline on data/nlu, evaluate it on the held-out set, write docs/nlu.md.
# Usage: scripts/compare_pipelines.sh   (from `make compare-pipelines`; takes ~10 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
HELDOUT=tests/nlu/heldout.yml
declare -a runs=()
for spec in "shipped=config.yml" "jieba_tokenizer=configs/jieba_tokenizer.yml" "diet_transformer=configs/diet_transformer.yml"; do
  name=${spec%%=*}; config=${spec#*=}
  out=results/compare/$name
  mkdir -p "$out"
  echo "[compare] $name: training with $config"
  start=$(date +%s)
  .venv/bin/rasa train nlu --config "$config" --nlu data/nlu --out models/compare --fixed-model-name "$name" > "$out/train.log" 2>&1 \
    || { tail -30 "$out/train.log"; exit 1; }
  echo $(( $(date +%s) - start )) > "$out/train_seconds.txt"
  echo "[compare] $name: trained in $(cat "$out/train_seconds.txt")s; evaluating on $HELDOUT"
  .venv/bin/rasa test nlu --nlu "$HELDOUT" --model "models/compare/$name.tar.gz" --out "$out" --no-plot > "$out/test.log" 2>&1 \
    || { tail -30 "$out/test.log"; exit 1; }
  runs+=("$name ($config)=$out")
done
note="Reading the figures: spaCy's zh tokenizer with the jieba segmenter and JiebaTokenizer (whitespace tokens
dropped) produce the same tokens here, because both segment with jieba and the same sales-term
dictionary; the scores tie. The shipped pipeline keeps spaCy so that the spaCy Matcher patterns
trainers write for drills see exactly the tokens the NLU sees. DIET's transformer costs about ten
times the training time on this 2-core machine and does not beat bag-of-features on the nine
objections, so config.yml sets number_of_transformer_layers: 0."
.venv/bin/python -m coach.nlu.evaluate compare docs/nlu.md "${runs[@]}" --note "$note"
