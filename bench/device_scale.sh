#!/usr/bin/env bash
# Scale figures on a many-core machine, each part time-boxed so the whole ends within 9 minutes.
#
#   bench/device_scale.sh [PAGES]     PAGES: the article-extraction folder (with html/*.html.gz);
#                                     default ../shared/data/article-extraction
#
# Writes what the benches print to $OUT/ (default ./device-out):
#   machine.txt     cores, memory, load
#   stream.txt      (a) bench/stream_memory.py, the JSONL stream with --workers 2: peak RSS / PSS
#   scale-a.txt     (b) bench/scale_throughput.py: spaCy alone, 2 and 14 local workers, Dask LocalCluster (14)
#   scale-b.txt         1 process, 8 local workers
# A part cut by its time box keeps the lines it printed before; 'timed out' is appended.
#
# Expects .venv (scripts/install dev, which needs the package index); runs scripts/install dev
# only when .venv has no working Python.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-$PWD/device-out}"
PAGES="${1:-../shared/data/article-extraction}"
mkdir -p "$OUT"
if ! compgen -G "$PAGES/html/*.html.gz" >/dev/null; then
  echo "no pages under $PAGES/html: give the article-extraction folder as the first argument" >&2
  exit 2
fi
PAGES="$(cd "$PAGES" && pwd)"
if ! .venv/bin/python -c "import spacy, distributed" 2>/dev/null; then
  scripts/install dev || { echo "no usable .venv and scripts/install dev failed" >&2; exit 2; }
fi
# an editable install records the absolute path of the checkout it was made in
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONWARNINGS=ignore
PY=.venv/bin/python

part() {  # part SECONDS FILE ARGS...: run one bench under its time box, keep what it printed
  local seconds=$1 file=$2
  shift 2
  echo "== $* (time box ${seconds} s)" | tee "$OUT/$file"
  timeout --kill-after=5 "$seconds" "$PY" "$@" 2>&1 | grep --line-buffered -v -i "warn" | tee -a "$OUT/$file"
  local status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || echo "timed out or failed (exit $status)" | tee -a "$OUT/$file"
}

{ echo "cores: $(nproc)"; free -g | head -2; uptime; } | tee "$OUT/machine.txt"
# (a) 100,000 lines would take most of an hour at two workers' extraction rate: the stream
# stops at --max-seconds and the figures are those of the lines ingested until then
# (memory is flat after the first batches: see the bench's docstring).
part 160 stream.txt bench/stream_memory.py --data "$PAGES" --articles 100000 --workers 2 --max-seconds 120
# (b) throughput over 500 new articles (8 batches of 64: with 8 or 14 workers the run is mostly
# filling and draining, read the steady rate with that in mind); each run loads the model
# afresh, inside its overall rate
part 195 scale-a.txt bench/scale_throughput.py --data "$PAGES" --articles 500 --workers 2,14 --dask 14
part 140 scale-b.txt bench/scale_throughput.py --data "$PAGES" --articles 500 --workers 1,8 --dask 0 --no-spacy
uptime | tee -a "$OUT/machine.txt"
