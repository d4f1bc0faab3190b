#!/usr/bin/env bash
# Throughput and memory of `residue score` as ratios measured in one run on this machine:
#   residue vs `wc -w` on the same file, 1 thread -> 2 threads, peak RSS for a small and a
#   large corpus and for .gz / .zst input; optionally datatrove's C4 and Gopher filters.
#
# usage: bash benches/ratios.sh [--with-datatrove] [--dir DIR] [--small-mb 20] [--large-mb 200]
#                               [--runs 2] [--wc-runs 3] [--datatrove-mb 20] [--regen]
#
# Corpora are made by `cargo bench --bench gen_corpus` (deterministic) in DIR (default
# /tmp/residue-bench) and kept there for the next run. MB = 1,000,000 bytes of the plain
# JSONL; for .gz/.zst input the MB/s counts the uncompressed bytes. Wall time is the best of
# the runs; peak RSS is the largest "Maximum resident set size" of /usr/bin/time -v over them.
# Never part of the build or the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

dir=/tmp/residue-bench
small_mb=20
large_mb=200
runs=2
wc_runs=3
datatrove=0
datatrove_mb=20
regen=0
seed=20251125
while [ $# -gt 0 ]; do
  case "$1" in
    --with-datatrove) datatrove=1 ;;
    --dir) dir=$2; shift ;;
    --small-mb) small_mb=$2; shift ;;
    --large-mb) large_mb=$2; shift ;;
    --runs) runs=$2; shift ;;
    --wc-runs) wc_runs=$2; shift ;;
    --datatrove-mb) datatrove_mb=$2; shift ;;
    --regen) regen=1 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "ratios.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/time ]; then
  echo "== installing GNU time (apt-get install time)" >&2
  apt-get update -qq >&2 && apt-get install -y -qq time >&2
fi

echo "== cargo build --release" >&2
cargo build --release --quiet
# A copy, so that a rebuild by someone else during the run cannot change the binary measured.
residue=$dir/residue
cp "$root/target/release/residue" "$residue"

# A corpus is regenerated when the generator, the fixtures or the size changed.
stamp_of() { cat benches/gen_corpus.rs fixtures/*.txt | sha256sum | cut -c1-16; echo "mb=$1 seed=$seed"; }
corpus() { # corpus MB -> path (with .gz and .zst beside it)
  local mb=$1 out="$dir/corpus-${1}mb.jsonl"
  if [ "$regen" = 1 ] || [ ! -f "$out.zst" ] || [ "$(cat "$out.stamp" 2>/dev/null)" != "$(stamp_of "$mb")" ]; then
    echo "== generating $out (+ .gz, .zst)" >&2
    cargo bench --quiet --bench gen_corpus -- --mb "$mb" --seed "$seed" --out "$out" --gz --zst >&2
    stamp_of "$mb" > "$out.stamp"
  fi
  echo "$out"
}
small=$(corpus "$small_mb")
large=$(corpus "$large_mb")
for f in "$small" "$large"; do cat "$f" "$f.gz" "$f.zst" > /dev/null; done # warm the page cache

# measure RUNS CMD... -> "best_seconds max_rss_kb cpu_seconds_of_best"; stdout of CMD to /dev/null.
measure() {
  local runs=$1 best="" rss=0 cpu="" start end secs kb
  shift
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    if ! /usr/bin/time -v -o "$tmp/time" "$@" > /dev/null 2> "$tmp/stderr"; then
      echo "ratios.sh: failed: $*" >&2
      cat "$tmp/stderr" "$tmp/time" >&2
      exit 1
    fi
    end=$(date +%s%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
    if [ -z "$best" ] || awk -v s="$secs" -v b="$best" 'BEGIN { exit !(s < b) }'; then
      best=$secs
      cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$tmp/time")
    fi
    if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
  done
  echo "$best $rss $cpu"
}

bytes_of() { stat -c %s "$1"; }
declare -A secs rss mbs cmds cpus
rows=()
# row KEY FILE(plain, for the byte count) RUNS CMD...
row() {
  local key=$1 file=$2 n=$3
  shift 3
  echo "== $key: $* (best of $n)" >&2
  measure "$n" "$@" > "$tmp/measured"
  read -r s k c < "$tmp/measured"
  secs[$key]=$s
  cpus[$key]=$c
  rss[$key]=$k
  mbs[$key]=$(awk -v b="$(bytes_of "$file")" -v s="$s" 'BEGIN { printf "%.2f", b / 1e6 / s }')
  rows+=("$key")
  cmds[$key]="$*"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
L=${large_mb}MB
S=${small_mb}MB
row "wc-$L" "$large" "$wc_runs" wc -w "$large"
row "wc-C-$L" "$large" "$wc_runs" env LC_ALL=C wc -w "$large"
row "t1-$L" "$large" "$runs" "$residue" score "$large" --threads 1
row "t2-$L" "$large" "$runs" "$residue" score "$large" --threads 2
row "t1-gz-$L" "$large" 1 "$residue" score "$large.gz" --threads 1
row "t2-gz-$L" "$large" 1 "$residue" score "$large.gz" --threads 2
row "t1-zst-$L" "$large" 1 "$residue" score "$large.zst" --threads 1
row "t2-zst-$L" "$large" 1 "$residue" score "$large.zst" --threads 2
row "wc-$S" "$small" "$wc_runs" wc -w "$small"
row "t1-$S" "$small" "$runs" "$residue" score "$small" --threads 1
row "t2-$S" "$small" "$runs" "$residue" score "$small" --threads 2
row "t2-gz-$S" "$small" "$runs" "$residue" score "$small.gz" --threads 2
row "t2-zst-$S" "$small" "$runs" "$residue" score "$small.zst" --threads 2

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
mb_of() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
{
  echo "## residue throughput ratios"
  echo
  echo "$(date -u +%F) · $(nproc) cores · ${cpu:-unknown CPU} · $(rustc --version) · locale ${LC_ALL:-${LANG:-unset}}"
  echo "load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the 2-thread rows)"
  echo "corpora: $small ($(bytes_of "$small") B), $large ($(bytes_of "$large") B); gz $(bytes_of "$large.gz") B, zst $(bytes_of "$large.zst") B"
  echo
  echo "| run | best s | CPU s | MB/s | vs wc -w | peak RSS MB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for key in "${rows[@]}"; do
    case $key in *"$S") wc=wc-$S ;; *) wc=wc-$L ;; esac
    echo "| $key | ${secs[$key]} | ${cpus[$key]} | ${mbs[$key]} | $(ratio "${mbs[$key]}" "${mbs[$wc]}") | $(mb_of "${rss[$key]}") |"
  done
  echo
  echo "| ratio | value |"
  echo "| --- | ---: |"
  echo "| residue 1 thread / wc -w ($L, MB/s) | $(ratio "${mbs[t1-$L]}" "${mbs[wc-$L]}") |"
  echo "| residue 2 threads / wc -w ($L, MB/s) | $(ratio "${mbs[t2-$L]}" "${mbs[wc-$L]}") |"
  echo "| residue 1 thread / LC_ALL=C wc -w ($L) | $(ratio "${mbs[t1-$L]}" "${mbs[wc-C-$L]}") |"
  echo "| speed-up 2 threads / 1 thread ($L) | $(ratio "${secs[t1-$L]}" "${secs[t2-$L]}") |"
  echo "| speed-up 2 threads / 1 thread ($S) | $(ratio "${secs[t1-$S]}" "${secs[t2-$S]}") |"
  echo "| speed-up 2 threads / 1 thread (.gz, $L) | $(ratio "${secs[t1-gz-$L]}" "${secs[t2-gz-$L]}") |"
  echo "| speed-up 2 threads / 1 thread (.zst, $L) | $(ratio "${secs[t1-zst-$L]}" "${secs[t2-zst-$L]}") |"
  echo "| peak RSS $L / $S, 1 thread | $(ratio "${rss[t1-$L]}" "${rss[t1-$S]}") |"
  echo "| peak RSS $L / $S, 2 threads | $(ratio "${rss[t2-$L]}" "${rss[t2-$S]}") |"
  echo "| peak RSS $L / $S, 2 threads, .gz | $(ratio "${rss[t2-gz-$L]}" "${rss[t2-gz-$S]}") |"
  echo "| peak RSS $L / $S, 2 threads, .zst | $(ratio "${rss[t2-zst-$L]}" "${rss[t2-zst-$S]}") |"
  echo "| peak RSS .gz / plain, $L, 2 threads | $(ratio "${rss[t2-gz-$L]}" "${rss[t2-$L]}") |"
  echo "| peak RSS .zst / plain, $L, 2 threads | $(ratio "${rss[t2-zst-$L]}" "${rss[t2-$L]}") |"
  echo
  echo "Commands (each under \`/usr/bin/time -v\`, stdout to /dev/null; wall time from the shell):"
  echo
  echo '```'
  for key in "${rows[@]}"; do echo "$key: ${cmds[$key]} > /dev/null"; done
  echo '```'
  echo
  echo "residue writes its CSV to standard output here: \`-o /dev/null\` is not used, because residue"
  echo "writes a temporary file beside the target and renames it over the target, which would"
  echo "replace the /dev/null device with a regular file when run as root."
} | tee "$dir/ratios.md"

if [ "$datatrove" = 1 ]; then
  echo
  bash benches/datatrove/compare.sh "$large" --mb "$datatrove_mb" --residue "$residue" --dir "$dir" | tee "$dir/datatrove.md"
fi
