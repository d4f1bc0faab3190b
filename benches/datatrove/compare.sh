#!/usr/bin/env bash
# residue vs datatrove's C4QualityFilter and GopherQualityFilter (and a bare pure-Python line
# rule) over the same bytes: the first N MB (whole lines) of a JSONL corpus, on one core.
#
# usage: bash benches/datatrove/compare.sh CORPUS.jsonl [--mb 20] [--residue BIN] [--dir DIR]
#
# Installs datatrove from PyPI into its own virtualenv ($DATATROVE_VENV, default
# /tmp/residue-datatrove-venv; never in the repository, never part of the build or the tests).
# What the two filters need beyond `pip install datatrove` (checked on datatrove 0.10.1):
#   - `regex` (datatrove.utils.text imports it; it comes with the `processing` extra);
#   - `spacy`: datatrove's tokenizer_assignment.csv gives English to SpaCyTokenizer, which uses
#     spacy.blank("en") + the rule-based sentencizer: no model download, so it runs offline.
#     (NLTK's punkt data is only needed by languages assigned to NLTKTokenizer.)
# If a filter still cannot run, bench.py says why and the others are measured.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

corpus=""
mb=20
residue="$root/target/release/residue"
dir=/tmp/residue-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb=$2; shift ;;
    --residue) residue=$2; shift ;;
    --dir) dir=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    *) corpus=$1 ;;
  esac
  shift
done
[ -n "$corpus" ] || { sed -n '2,15p' "$0" >&2; exit 2; }
mkdir -p "$dir"

venv=${DATATROVE_VENV:-/tmp/residue-datatrove-venv}
version=${DATATROVE_VERSION:-0.10.1}
if [ ! -x "$venv/bin/python" ]; then
  echo "== python3 -m venv $venv" >&2
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import datatrove, regex, spacy, sys; from importlib.metadata import version; \
sys.exit(version('datatrove') != '$version')" 2> /dev/null; then
  echo "== pip install datatrove==$version regex spacy (into $venv)" >&2
  "$venv/bin/pip" install -q "datatrove==$version" regex spacy >&2
fi

slice="$dir/slice-${mb}mb.jsonl"
json="$dir/datatrove.json"
pin=()
command -v taskset > /dev/null && pin=(taskset -c 0)
echo "== datatrove filters and the bare line rule over the first $mb MB of $corpus (one core)" >&2
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "${pin[@]}" "$venv/bin/python" "$here/bench.py" "$corpus" --mb "$mb" --slice-out "$slice" --json-out "$json" > /dev/null

residue_s=""
residue_cpu=""
if [ -x "$residue" ]; then
  echo "== ${pin[*]} $residue score $slice --threads 1 (best of 2)" >&2
  for _ in 1 2; do
    start=$(date +%s%N)
    "${pin[@]}" /usr/bin/time -f "%U %S" -o "$dir/.residue-time" "$residue" score "$slice" --threads 1 > /dev/null
    end=$(date +%s%N)
    s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    if [ -z "$residue_s" ] || awk -v s="$s" -v b="$residue_s" 'BEGIN { exit !(s < b) }'; then
      residue_s=$s
      residue_cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$dir/.residue-time")
    fi
  done
  rm -f "$dir/.residue-time"
fi

"$venv/bin/python" - "$json" "$residue_s" "$residue_cpu" "${pin[*]:-unpinned}" "$mb" "$residue" "$slice" << 'EOF'
import json, sys

summary = json.load(open(sys.argv[1]))
residue_s, residue_cpu, pin, mb, residue, slice_path = sys.argv[2:8]
mb_total = summary["bytes"] / 1e6
print(f"## residue vs datatrove {summary['datatrove']} (Python {summary['python']}), one core ({pin})")
print()
print(f"{summary['records']} records, {summary['bytes']} bytes: the first {mb} MB of {summary['corpus']}")
print(f"(json.loads of the slice alone: {summary['parse_s']:.2f} s, {mb_total / summary['parse_s']:.2f} MB/s)")
print(f"load average (1 min) after the runs: {open('/proc/loadavg').read().split()[0]} (a shared machine: CPU-s figures are steadier)")
print()
print("| tool | kept | s (filter) | MB/s filter only | MB/s parse + filter | MB per CPU-s | "
      "residue / tool (MB/s) | residue / tool (CPU) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
residue_mbs = residue_cpu_mbs = None
if residue_s:
    residue_mbs = mb_total / float(residue_s)
    residue_cpu_mbs = mb_total / float(residue_cpu)
    print(f"| residue score --threads 1 (read + parse + score + CSV) | | {float(residue_s):.2f} | | "
          f"{residue_mbs:.2f} | {residue_cpu_mbs:.2f} | 1.00 | 1.00 |")
for r in summary["results"]:
    if "error" in r:
        print(f"| {r['name']} | could not run here: {r['error']} | | | | | | |")
        continue
    ratio = f"{residue_mbs / r['mb_s_parse_filter']:.2f}" if residue_mbs else ""
    cpu_ratio = f"{residue_cpu_mbs / r['mb_per_cpu_s']:.2f}" if residue_cpu_mbs else ""
    print(f"| {r['name']} | {r['kept']} / {r['records']} | {r['filter_s']:.2f} | {r['mb_s_filter']:.2f} | "
          f"{r['mb_s_parse_filter']:.2f} | {r['mb_per_cpu_s']:.2f} | {ratio} | {cpu_ratio} |")
print()
print("Commands:")
print()
print("```")
print(f"{pin} python benches/datatrove/bench.py {summary['corpus']} --mb {mb}   # filter(doc) called directly")
if residue_s:
    print(f"{pin} {residue} score {slice_path} --threads 1 > /dev/null   # CPU {residue_cpu} s (user + sys)")
print("```")
EOF
