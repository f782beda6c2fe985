#!/usr/bin/env bash
# Before/after speed of two revisions on one machine, interleaved: old, new, old, new, ...
#
#   tools/bench-ab.sh OLD_REV [NEW_REV] --model DIR [--rounds N] [--batches 8,32] [--prompt-len 38] [--work DIR]
#                     [-- EXTRA BENCH OPTIONS]
#
# Builds each revision's CLI once (tools/lib/revision-build.sh, the same build as tools/compare-outputs.sh), then
# per round runs `bench --model DIR --generate-batches B --prompt-len P` with the old and then the new revision
# (prefill, then greedy generation at each batch size; one JVM per run, so each pays its own load and warm-up),
# and prints prefill tokens/s and greedy tokens/s per revision per round, then per figure the median over
# rounds of each revision and the median of the rounds' new/old ratios. Runs in a quiet window only: the
# figures are only comparable when nothing else competes for the cores.
# Only options every revision's bench has are passed (29fa466's --prompt-len takes one length, newer ones a
# list; neither --hf-reference nor --device is used). Each run's full output is kept in the work folder.
# Environment: BIOGPT_BUILD_CACHE, MVN (see tools/lib/revision-build.sh), BIOGPT_JAVA_OPTS (passed to both).
set -uo pipefail

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/revision-build.sh
source "$here/lib/revision-build.sh"

OLD_REV=; NEW_REV=; MODEL=; ROUNDS=3; BATCHES=8,32; PROMPT_LEN=38; WORK=; EXTRA=()
while [ $# -gt 0 ]; do
  case $1 in
    --model) MODEL=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --batches) BATCHES=$2; shift 2 ;;
    --prompt-len) PROMPT_LEN=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) if [ -z "$OLD_REV" ]; then OLD_REV=$1; elif [ -z "$NEW_REV" ]; then NEW_REV=$1; else usage; fi; shift ;;
  esac
done
[ -n "$OLD_REV" ] && [ -n "$MODEL" ] || usage
[ -d "$MODEL" ] || { echo "--model $MODEL is not a directory" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "--rounds must be a positive number" >&2; exit 2; }
[[ $PROMPT_LEN =~ ^[0-9]+$ ]] || { echo "--prompt-len is one length (the oldest bench takes no list)" >&2; exit 2; }
[ "$ROUNDS" -ge 2 ] || echo "note: one round gives no interleaving; use --rounds 2 or more for figures to report" >&2
MODEL=$(cd "$MODEL" && pwd)
NEW_REV=${NEW_REV:-HEAD}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/biogpt-bench-ab.XXXXXX")}
mkdir -p "$WORK"

old_sha=$(resolve_revision "$OLD_REV") || exit 2
new_sha=$(resolve_revision "$NEW_REV") || exit 2
OLD_DIR=$(build_revision "$old_sha") || exit 2
NEW_DIR=$(build_revision "$new_sha") || exit 2
echo "bench-ab: old $OLD_REV = $old_sha, new $NEW_REV = $new_sha; model $MODEL; $ROUNDS rounds; greedy batches $BATCHES,"
echo "  ${PROMPT_LEN}-token prompts; $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg); outputs in $WORK"

for round in $(seq 1 "$ROUNDS"); do
  for side in old new; do
    if [ $side = old ]; then dir=$OLD_DIR; else dir=$NEW_DIR; fi
    log=$WORK/round$round-$side.txt
    echo "round $round: $side ..." >&2
    if ! (cd "$WORK" && OPT_OUT_TRACKING=true "$dir/bin/biogpt-spark" bench --model "$MODEL" --generate-batches "$BATCHES" \
          --prompt-len "$PROMPT_LEN" "${EXTRA[@]}" >"$log" 2>"$log.stderr"); then
      echo "bench with $side failed (round $round); see $log and $log.stderr:" >&2
      tail -n 20 "$log.stderr" >&2
      exit 1
    fi
  done
done

python3 - "$WORK" "$ROUNDS" "$BATCHES" <<'PY'
import os, re, statistics, sys

work, rounds, batches = sys.argv[1], int(sys.argv[2]), [int(b) for b in sys.argv[3].split(",")]
PREFILL = re.compile(r"^prefill .*?: ([0-9.]+) tokens/s")
GREEDY = re.compile(r"^generate \[[^\]]*\] greedy b(\d+), .*?: ([0-9.]+) tokens/s")
figures = ["prefill"] + [f"greedy b{b}" for b in batches]

def read(path):
    got = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = PREFILL.match(line)
            if m:
                got["prefill"] = float(m.group(1))
            m = GREEDY.match(line)
            if m:
                got[f"greedy b{m.group(1)}"] = float(m.group(2))
    missing = [k for k in figures if k not in got]
    if missing:
        sys.exit(f"{path}: no {', '.join(missing)} line in bench's output")
    return got

runs = {(r, s): read(os.path.join(work, f"round{r}-{s}.txt")) for r in range(1, rounds + 1) for s in ("old", "new")}
print()
print(f"{'tokens/s':<10}" + "".join(f"{f:>14}" for f in figures))
for r in range(1, rounds + 1):
    for s in ("old", "new"):
        print(f"{s} r{r:<6}" + "".join(f"{runs[(r, s)][f]:>14.1f}" for f in figures))
for s in ("old", "new"):
    print(f"{s + ' median':<10}" + "".join(f"{statistics.median(runs[(r, s)][f] for r in range(1, rounds + 1)):>14.1f}"
                                            for f in figures))
ratios = {f: statistics.median(runs[(r, "new")][f] / runs[(r, "old")][f] for r in range(1, rounds + 1)) for f in figures}
print(f"{'new/old':<10}" + "".join(f"{ratios[f]:>13.3f}x" for f in figures)
      + "   (median over rounds of each round's new/old)")
PY
