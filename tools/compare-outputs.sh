#!/usr/bin/env bash
# Byte-for-byte comparison of every CLI command's outputs between two revisions of this project.
#
#   tools/compare-outputs.sh OLD_REV [NEW_REV] [--work DIR] [--eval-rows N] [--only GLOB] [--timeout S]
#
# Builds each revision's CLI once (tools/lib/revision-build.sh: a shared clone in a cache folder, `mvn -o
# package -DskipTests`), runs the same commands on the same inputs with each, and compares every output file
# byte by byte: one line per output (identical / DIFFERS with the first differing line, or byte offset for
# binary files), then a count. Exit status 1 when any output differs, 2 on a usage or build error.
#
# Inputs: the fixtures in ../shared/fixtures/biogpt-tiny (golden texts, tokenizer sentences, the 30 golden
# generation cases with their parameters, as ../shared/checks/*.sh run them, and the batched greedy prompts with
# a row filling all positions among them), the sample corpus and tiny models
# in sample-data/ (read from NEW_REV's checkout for both revisions), the first --eval-rows records (default 8)
# of each task test set in ../shared/data/biogpt-tasks, evaluated in-process and on Spark, and the README's main
# enrich job. Each command's stdout and exit status are outputs too; stderr (logs, progress) is not compared.
# --only GLOB runs only the commands whose output folder matches (e.g. 'enrich/*', 'generate/golden-*'), to find
# which commit changed one output.
#
# Both revisions run from one path (WORK/checkout, a link to the revision's build) and write to one path
# (WORK/run, moved to WORK/old or WORK/new afterwards), so paths printed into outputs are the same.
# Dropped before comparing, because they carry wall-clock time (the script prints this list too):
#   _SUMMARY.json: "seconds", "documents_per_second" (and its .crc, a checksum of those bytes);
#   enrich stdout: the "in N s (N docs/s)" of its count line.
# Spark's part-file names carry a random job UUID: part-NNNNN-<uuid>-cNNN is compared as part-NNNNN-cNNN.
#
# Environment: SHARED (default: ../shared beside the repository, else /work/shared), BIOGPT_BUILD_CACHE, MVN.
set -uo pipefail

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/revision-build.sh
source "$here/lib/revision-build.sh"

OLD_REV=; NEW_REV=; WORK=; EVAL_ROWS=8; CMD_TIMEOUT=1800; ONLY='*'
while [ $# -gt 0 ]; do
  case $1 in
    --work) WORK=$2; shift 2 ;;
    --eval-rows) EVAL_ROWS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --timeout) CMD_TIMEOUT=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) if [ -z "$OLD_REV" ]; then OLD_REV=$1; elif [ -z "$NEW_REV" ]; then NEW_REV=$1; else usage; fi; shift ;;
  esac
done
[ -n "$OLD_REV" ] || usage
NEW_REV=${NEW_REV:-HEAD}
if [ -z "${SHARED:-}" ]; then
  SHARED=$(cd "$REVISION_BUILD_REPO/../shared" 2>/dev/null && pwd) || SHARED=/work/shared
fi
FIX=$SHARED/fixtures/biogpt-tiny
TASKS=$SHARED/data/biogpt-tasks
for f in "$FIX/golden.json" "$FIX/tokenizer-golden.json" "$TASKS/BC5CDR/raw/test.json"; do
  [ -f "$f" ] || { echo "missing shared input $f (set SHARED)" >&2; exit 2; }
done
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/biogpt-compare.XXXXXX")}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
for d in old new run checkout inputs; do
  [ -e "$WORK/$d" ] && { echo "$WORK already holds $d: give an empty or new --work folder" >&2; exit 2; }
done

old_sha=$(resolve_revision "$OLD_REV") || exit 2
new_sha=$(resolve_revision "$NEW_REV") || exit 2
echo "compare-outputs: old $OLD_REV = $old_sha, new $NEW_REV = $new_sha, work folder $WORK"
OLD_DIR=$(build_revision "$old_sha") || exit 2
NEW_DIR=$(build_revision "$new_sha") || exit 2
SAMPLE=$NEW_DIR/sample-data
if ! git -C "$REVISION_BUILD_REPO" diff --quiet "$old_sha" "$new_sha" -- sample-data; then
  echo "note: sample-data differs between the revisions (both run on $NEW_REV's copy; enrich's default models are each"
  echo "revision's own):"
  git -C "$REVISION_BUILD_REPO" diff --stat "$old_sha" "$new_sha" -- sample-data | sed 's/^/  /'
fi

# ---- inputs, written once for both revisions ----
IN=$WORK/inputs
mkdir -p "$IN"
python3 "$SHARED/checks/inputs.py" golden "$FIX/golden.json" "$IN" || exit 2
python3 "$SHARED/checks/inputs.py" tokenizer-golden "$FIX/tokenizer-golden.json" "$IN" || exit 2
# The batched greedy prompts with a row that fills all 128 positions of the fixture model among them: its second
# new token has no position left (the row must fail alone; its neighbours keep their tokens).
python3 - "$IN" <<'PY' || exit 2
import json, os, sys
rows = [json.loads(l) for l in open(os.path.join(sys.argv[1], "gen-batched_left_greedy.jsonl"), encoding="utf-8")]
rows.insert(1, {"id": "fills-all-positions", "input_ids": list(range(100, 228))})
with open(os.path.join(sys.argv[1], "gen-row-filling-all-positions.jsonl"), "w", encoding="utf-8") as f:
    f.writelines(json.dumps(r) + "\n" for r in rows)
PY
python3 - "$TASKS" "$IN" "$EVAL_ROWS" <<'PY' || exit 2
# The first N records of each test set, in the file's own format (JSON object order kept; HoC rows are
# followed by a blank line).
import json, sys, os
tasks, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for task, name in [("bc5cdr", "BC5CDR"), ("ddi", "DDI"), ("kd-dti", "KD-DTI")]:
    with open(os.path.join(tasks, name, "raw", "test.json"), encoding="utf-8") as f:
        data = json.load(f)
    with open(os.path.join(out, f"eval-{task}.json"), "w", encoding="utf-8") as f:
        json.dump(dict(list(data.items())[:n]), f, ensure_ascii=False)
for task, name, lines_per_row in [("pubmedqa", "PubMedQA", 1), ("hoc", "HoC", 2)]:
    with open(os.path.join(tasks, name, "raw", "test.tsv"), encoding="utf-8", newline="") as f:
        lines = f.readlines()[: n * lines_per_row]
    with open(os.path.join(out, f"eval-{task}.tsv"), "w", encoding="utf-8", newline="") as f:
        f.writelines(lines)
PY

# ---- the commands, run once per revision from WORK/checkout into WORK/run ----
RUN=$WORK/run
BIN=$WORK/checkout/bin/biogpt-spark

# cli NAME ARGS...: one command of the revision under test; its stdout and exit status are kept in RUN/NAME.
cli() {
  local name=$1; shift
  # shellcheck disable=SC2053
  [[ $name == $ONLY ]] || return 0
  mkdir -p "$RUN/$name"
  (cd "$WORK/cwd" && OPT_OUT_TRACKING=true SPARK_LOCAL_IP=127.0.0.1 timeout "$CMD_TIMEOUT" "$BIN" "$@" \
      >"$RUN/$name/stdout" 2>"$RUN/$name/stderr")
  echo $? >"$RUN/$name/exit-status"
}

gen_params() {  # the golden case's generate options, as ../shared/checks/decoding.sh maps them
  python3 -c '
import json,sys; p=json.load(open(sys.argv[1]))[sys.argv[2]]
m={"max_new_tokens":"--max-new-tokens","num_beams":"--num-beams","num_return_sequences":"--num-return-sequences",
   "length_penalty":"--length-penalty","early_stopping":"--early-stopping","no_repeat_ngram_size":"--no-repeat-ngram-size"}
print(" ".join(f"{m[k]} {str(v).lower() if isinstance(v,bool) else v}" for k,v in p.items()))' "$IN/gen-params.json" "$1"
}

run_all() {
  local o corpus=$SAMPLE/corpus/bc5cdr-test-200.jsonl m=$SAMPLE/models
  o=$RUN/tokenize; cli tokenize/fixture-texts tokenize --model "$FIX/causal-lm" --input "$IN/texts.jsonl" --output "$o/fixture-texts/out.jsonl"
  cli tokenize/fixture-1000 tokenize --model "$FIX/causal-lm" --input "$IN/tok1000.jsonl" --output "$o/fixture-1000/out.jsonl"
  cli tokenize/sample-200 tokenize --model "$m/biogpt-tiny" --input "$corpus" --output "$o/sample-200/out.jsonl"
  local cmd fixture model
  for spec in "score causal-lm biogpt-tiny" "classify-tokens token-classification biogpt-tiny-ner" \
              "classify sequence-classification biogpt-tiny-cls" "embed causal-lm biogpt-tiny"; do
    read -r cmd fixture model <<<"$spec"
    cli "$cmd/fixture-texts" "$cmd" --model "$FIX/$fixture" --input "$IN/texts.jsonl" --output "$RUN/$cmd/fixture-texts/out.jsonl"
    cli "$cmd/sample-200" "$cmd" --model "$m/$model" --input "$corpus" --output "$RUN/$cmd/sample-200/out.jsonl"
  done
  local f name
  for f in "$IN"/gen-*.jsonl; do
    [ "$f" = "$IN/gen-row-filling-all-positions.jsonl" ] && continue
    name=$(basename "$f" .jsonl); name=${name#gen-}
    # shellcheck disable=SC2046
    cli "generate/golden-$name" generate --model "$FIX/causal-lm" --input "$f" --output "$RUN/generate/golden-$name/out.jsonl" \
      --batch-size 8 $(gen_params "$name")
  done
  cli generate/row-filling-all-positions generate --model "$FIX/causal-lm" --input "$IN/gen-row-filling-all-positions.jsonl" \
    --output "$RUN/generate/row-filling-all-positions/out.jsonl" --batch-size 8 --max-new-tokens 20
  # Every golden text, with the checkpoint's default generation settings (includes texts at and past max positions).
  cli generate/fixture-texts generate --model "$FIX/causal-lm" --input "$IN/texts.jsonl" --output "$RUN/generate/fixture-texts/out.jsonl"
  local task data engine
  for task in bc5cdr ddi kd-dti pubmedqa hoc; do
    data=$IN/eval-$task.json; [ -f "$data" ] || data=$IN/eval-$task.tsv
    for engine in core spark; do
      cli "evaluate/$task-$engine" evaluate --task "$task" --data "$data" --model "$m/biogpt-tiny" --engine "$engine" \
        --predictions-out "$RUN/evaluate/$task-$engine/predictions.jsonl" --metrics-out "$RUN/evaluate/$task-$engine/metrics.json"
    done
  done
  # The README's main job, as written there (bundled models by default).
  cli enrich/readme enrich --input "$SAMPLE/corpus/pubmed-bc5cdr-sample.xml.gz" --output "$RUN/enrich/readme/enriched" --mode overwrite
}

mkdir -p "$WORK/cwd"
for side in old new; do
  if [ $side = old ]; then dir=$OLD_DIR; rev=$OLD_REV; else dir=$NEW_DIR; rev=$NEW_REV; fi
  ln -sfn "$dir" "$WORK/checkout"
  echo "running every command with $side ($rev)..."
  start=$SECONDS
  mkdir -p "$RUN"
  run_all
  mv "$RUN" "$WORK/$side"
  echo "  $side done in $((SECONDS - start)) s"
done
rm -f "$WORK/checkout"

# ---- comparison ----
echo
echo "Dropped before comparing (wall-clock values): _SUMMARY.json fields \"seconds\", \"documents_per_second\" and"
echo "its .crc; enrich stdout's \"in N s (N docs/s)\". Spark part-file UUIDs ignored in names. stderr not compared."
python3 - "$WORK/old" "$WORK/new" <<'PY'
import json, os, re, sys, zlib

old_root, new_root = sys.argv[1], sys.argv[2]
UUID = re.compile(r"(part-\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SUMMARY_TIMING = ("seconds", "documents_per_second")
ENRICH_TIMING = re.compile(rb" in [0-9.,]+ s \([0-9.,]+ docs/s\)")

def files(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), root)
            if os.path.basename(rel) == "stderr":
                continue
            if os.path.basename(rel) == "._SUMMARY.json.crc":
                continue  # checksum of the summary's bytes, which hold timings
            out[UUID.sub(r"\1", rel)] = os.path.join(d, n)
    return out

def content(rel, path):
    with open(path, "rb") as f:
        data = f.read()
    if os.path.basename(rel) == "_SUMMARY.json":
        obj = json.loads(data)
        for k in SUMMARY_TIMING:
            obj.pop(k, None)
        return json.dumps(obj, indent=2, ensure_ascii=False).encode()
    if rel.startswith("enrich/") and os.path.basename(rel) == "stdout":
        return ENRICH_TIMING.sub(b"", data)
    return data

def around(line, col):
    """The part of a line around column col: long JSON lines differ far from their start."""
    s = line.decode("utf-8", "replace")
    start = max(0, col - 50)
    return ("..." if start else "") + s[start:col + 70] + ("..." if col + 70 < len(s) else "")

def first_difference(a, b):
    if b"\0" in a[:8192] or b"\0" in b[:8192]:
        i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"byte {i} (sizes {len(a)} / {len(b)})"
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            col = next((c for c, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            return f"line {i + 1} byte {col + 1}: old {around(x, col)!r} | new {around(y, col)!r}"
    return f"line {min(len(la), len(lb)) + 1}: one side ends ({len(la)} / {len(lb)} lines)"

old, new = files(old_root), files(new_root)
same = diff = 0
for rel in sorted(set(old) | set(new)):
    if rel not in old or rel not in new:
        print(f"DIFFERS    {rel}: only in {'new' if rel not in old else 'old'}")
        diff += 1
        continue
    a, b = content(rel, old[rel]), content(rel, new[rel])
    if a == b:
        print(f"identical  {rel}")
        same += 1
    else:
        print(f"DIFFERS    {rel}: {first_difference(a, b)}")
        diff += 1
print(f"\n{same} identical, {diff} differ ({same + diff} outputs)")
sys.exit(1 if diff else 0)
PY
status=$?
echo "outputs kept in $WORK/old and $WORK/new"
exit $status
