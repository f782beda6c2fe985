#!/usr/bin/env python3
"""Hugging Face counterpart of the project's task benchmark (`bin/biogpt-spark bench --task`): the real documents
of a BioGPT task, docs/s, prompt tokens/s and generated tokens/s, wall time including tokenization; the same work
the project's stage does, on the same JSONL, with the same tokenizer and the same batches:
  relations:bc5cdr  prompt, greedy generation (RelationExtractor)
  qa                prompt, each label's completion scored after it, and with --max-new-tokens > 0 greedy
                    generation (PubMedQaAnswerer with generate=true; 0 = scoring only, its default)
  entities          BioGptForTokenClassification over the text (EntityTagger)
  classify          BioGptForSequenceClassification over the text (DocumentClassifier)

Prompts are built as the project's core/task/PromptBuilder builds them, from the same task definitions
(core/src/main/resources/org/biogpt/spark/core/task/tasks.json): the source template, newline rule,
lowercasing; a source longer than max_source_tokens keeps its first max-1 BPE pieces then "..."; the
learned prompt (learned1..learnedK) is appended. A prompt that leaves no room for the new tokens (or the label
completions) in max_position_embeddings has its source cut further by the same rule, as the stage does under
truncation=truncate; entities/classify keep the first max_position_embeddings tokens. Rows are sorted by model
input length (stable) and cut into batches of at most --batch rows and --max-tokens-per-batch padded tokens,
exactly as the project's TokenBudgetBatcher plans them; generation batches are left-padded, the others
right-padded (as Hugging Face pads for those heads).

Input: JSONL. relations, entities and classify read {"id","title","text"} (entities/classify: text only); qa
reads {"id","question","text"} (text = the context). Without --input both sides read the bundled
sample-data/corpus/bc5cdr-test-200.jsonl (qa: pubmedqa-test-200.jsonl). --make-input writes such a file from
the BioGPT test sets in the shared data folder:
    python3 tools/bench_task_hf.py --make-input relations:bc5cdr --data DATA_ROOT --docs 64 --out bc5cdr.jsonl
    python3 tools/bench_task_hf.py --make-input qa --data DATA_ROOT --docs 64 --out qa.jsonl
Benchmark (REF_SITE = the reference import folder, see docs/PERFORMANCE.md):
    REF_SITE=... /usr/bin/python3 tools/bench_task_hf.py --task relations:bc5cdr --input bc5cdr.jsonl \
        --model-dir CHECKPOINT --docs 32 --batch 8 --max-new-tokens 64
--dump-prompts FILE writes {"id","input_ids"} per document, to compare the prompt ids with the project's;
--dump FILE writes {"id","prompt_tokens","generated_tokens","output"} per document as `bench --task --dump` does.
A warm-up over the first --warmup-docs documents (default: one batch) runs before the timed run and is printed
apart. Prints one JSON line.
"""
import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TASKS_JSON = HERE.parent / "core" / "src" / "main" / "resources" / "org" / "biogpt" / "spark" / "core" / "task" / "tasks.json"
ROOT = HERE.parent
TASK_NAMES = {"relations:bc5cdr": "bc5cdr", "relations:ddi": "ddi", "relations:kd-dti": "kd-dti", "qa": "pubmedqa"}
HEAD_TASKS = ("entities", "classify")
DEFAULT_INPUT = {"qa": ROOT / "sample-data" / "corpus" / "pubmedqa-test-200.jsonl"}
BC5CDR_SAMPLE = ROOT / "sample-data" / "corpus" / "bc5cdr-test-200.jsonl"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?}")


def task_definition(task):
    name = TASK_NAMES[task]
    for t in json.load(open(TASKS_JSON, encoding="utf-8"))["tasks"]:
        if t["name"] == name:
            return t
    raise SystemExit(f"task {name} is not in {TASKS_JSON}")


def source(task_def, fields):
    def fill(m):
        value = fields[m.group(1)]
        if task_def["newlines"] == "SPACE":
            value = value.replace("\n", " ")
        if m.group(2) == "sentence":  # rebuild_data.py: a title not ending in \W gets a period
            value = value if re.search(r"\W$", value) else value + "."
        return value
    s = PLACEHOLDER.sub(fill, task_def["source_template"])
    if task_def["strip"]:
        s = s.strip()
    if task_def["end_with_period"] and not s.endswith("."):
        s += "."
    return s.lower() if task_def["lowercase"] else s


def piece_id(tok, word):
    for w in (word + "</w>", word):
        if w in tok.encoder:
            return tok.encoder[w]
    return None


def prompt_ids(tok, task_def, text, learned, ellipsis, limit=None):
    """The project's PromptBuilder ids; with limit (positions left for the prompt), TaskPrompts' further cut."""
    enc = tok(text)["input_ids"]  # [</s>, pieces...]

    def build(cap):
        return (enc[:cap] + [ellipsis] if len(enc) - 1 > cap else enc) + learned

    ids = build(task_def["max_source_tokens"])
    if limit is not None and len(ids) > limit:
        max_source = limit - 1 - len(learned)
        if max_source < 2:
            return None  # the project's row error: no room for a source
        ids = build(max_source)
    return ids


def plan(lengths, max_rows, max_tokens):
    """core.run.TokenBudgetBatcher.plan: stable sort by length, then greedy batches under both budgets."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches, start = [], 0
    while start < len(order):
        end = start + 1
        while end < len(order) and end - start < max_rows and (end - start + 1) * lengths[order[end]] <= max_tokens:
            end += 1
        batches.append(order[start:end])
        start = end
    return batches


def fields_of(task, row):
    if task.startswith("qa"):
        return {"question": row["question"], "context": row["text"]}
    return {"title": row.get("title") or "", "abstract": row["text"]}


def make_input(task, data_root, docs, out):
    rows = []
    if task == "qa":
        for i, line in enumerate(open(os.path.join(data_root, "PubMedQA", "raw", "test.tsv"), encoding="utf-8")):
            if not line.strip():
                continue
            src = line.split("\t")[0].strip()
            q = src[len("question: "):src.index(" context: ")]
            c = src[src.index(" context: ") + len(" context: "):src.rindex(" answer: ")]
            rows.append({"id": str(i), "question": q, "text": c})
    else:
        d = json.load(open(os.path.join(data_root, "BC5CDR", "raw", "test.json"), encoding="utf-8"))
        rows = [{"id": k, "title": v.get("title") or "", "text": v["abstract"]} for k, v in d.items()]
    with open(out, "w", encoding="utf-8") as f:
        for r in rows[:docs]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(json.dumps({"wrote": out, "docs": min(docs, len(rows))}))


def read_rows(path, task, docs):
    """The first docs documents, as the project's BenchDocuments reads them (same errors)."""
    required = ["text", "question"] if task == "qa" else ["text"]
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if len(rows) == docs:
                break
            if not line.strip():
                continue
            r = json.loads(line)
            if not isinstance(r, dict):
                raise SystemExit(f"{path} line {n}: not a JSON object")
            for k in required:
                if not (r.get(k) or "").strip():
                    raise SystemExit(f"{path} line {n}: no \"{k}\"")
            r.setdefault("id", str(n))
            rows.append(r)
    if len(rows) < docs:
        raise SystemExit(f"{path} has {len(rows)} documents, fewer than --docs {docs}")
    return rows


def new_tokens(row, eos):
    """Generated tokens up to and including the first eos (the project's Generated.numTokens)."""
    return row.index(eos) + 1 if eos in row else len(row)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", choices=sorted(TASK_NAMES) + list(HEAD_TASKS))
    ap.add_argument("--input", help="JSONL documents (default: the bundled sample for the task)")
    ap.add_argument("--model-dir")
    ap.add_argument("--docs", type=int, default=32)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--max-tokens-per-batch", type=int, default=4096)
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--warmup-docs", type=int, help="untimed warm-up documents first (default: --batch)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dump", help="per-document prompt tokens, generated tokens and output as JSON lines")
    ap.add_argument("--dump-prompts")
    ap.add_argument("--prompts-only", action="store_true", help="with --dump-prompts: stop after writing them")
    ap.add_argument("--make-input", choices=sorted(TASK_NAMES))
    ap.add_argument("--data")
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.make_input:
        if not (a.data and a.out):
            raise SystemExit("--make-input needs --data (the biogpt-tasks folder) and --out")
        return make_input(a.make_input, a.data, a.docs, a.out)
    if not (a.task and a.model_dir):
        raise SystemExit("--task and --model-dir are required")
    if a.task.startswith("relations") and a.max_new_tokens < 1:
        raise SystemExit("--max-new-tokens must be at least 1 for relation extraction")
    if a.docs < 1 or a.batch < 1 or a.max_new_tokens < 0:
        raise SystemExit("--docs and --batch must be at least 1, --max-new-tokens at least 0")
    warmup = a.batch if a.warmup_docs is None else a.warmup_docs
    input_path = a.input or str(DEFAULT_INPUT.get(a.task, BC5CDR_SAMPLE))

    if os.environ.get("REF_SITE"):
        sys.path.insert(0, os.environ["REF_SITE"])
    if "OMP_WAIT_POLICY" not in os.environ:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # see bench_hf.py: GNU OpenMP spin costs ms per small op
    import torch
    torch.set_num_threads(a.threads)
    import transformers.tokenization_utils_base as tub
    import transformers
    from transformers import BioGptTokenizer
    from transformers.utils import is_tokenizers_available
    if not is_tokenizers_available():
        # Without the Rust `tokenizers` package, transformers 4.34-4.40's fallback AddedToken is
        # unhashable and slow tokenizers fail in __init__; give it the real one's content-based
        # hash/eq/setstate (no BioGPT code is touched).
        tub.AddedToken.__hash__ = lambda self: hash(self.content)
        tub.AddedToken.__eq__ = lambda self, o: self.content == o.content if isinstance(o, tub.AddedToken) else NotImplemented
        tub.AddedToken.__setstate__ = lambda self, state: self.__dict__.update(state)

    tok = BioGptTokenizer.from_pretrained(a.model_dir)
    rows = read_rows(input_path, a.task, a.docs)
    head = a.task in HEAD_TASKS
    model_class = {"entities": "BioGptForTokenClassification",
                   "classify": "BioGptForSequenceClassification"}.get(a.task, "BioGptForCausalLM")
    t_load = time.perf_counter()
    model = getattr(transformers, model_class).from_pretrained(a.model_dir, torch_dtype=torch.float32).eval()
    load_s = time.perf_counter() - t_load
    cfg = model.config
    pad, eos, positions = cfg.pad_token_id, cfg.eos_token_id, cfg.max_position_embeddings

    if head:
        def inputs(r):
            return tok(r["text"])["input_ids"][:positions]
        completions = []
    else:
        task_def = task_definition(a.task)
        learned = []
        for k in range(1, 1000):
            i = piece_id(tok, f"learned{k}")
            if i is None:
                break
            learned.append(i)
        ellipsis = piece_id(tok, "...")
        completions = []
        if a.task == "qa":  # LabelScorer.forTask: each label's target, tokenized without the leading </s>
            completions = [tok(task_def["target_template"].replace("{label}", l) + ".")["input_ids"][1:]
                           for l in task_def["labels"]]
        room = max([a.max_new_tokens] + [len(c) for c in completions])

        def inputs(r):
            return prompt_ids(tok, task_def, source(task_def, fields_of(a.task, r)), learned, ellipsis, positions - room)
        if a.dump_prompts:
            with open(a.dump_prompts, "w") as f:
                for r in rows:
                    f.write(json.dumps({"id": r["id"], "input_ids": inputs(r)}) + "\n")
            if a.prompts_only:
                return

    def run(docs):
        """One pass as the project's runner makes it: prepare, plan, one model call per batch. Per document:
        (prompt tokens, generated tokens, output) or None for a row the project would reject."""
        ids = [inputs(r) for r in docs]
        valid = [i for i, x in enumerate(ids) if x is not None]
        out = [None] * len(docs)
        with torch.no_grad():
            for batch in plan([len(ids[i]) for i in valid], a.batch, a.max_tokens_per_batch):
                rows_ = [ids[valid[j]] for j in batch]
                width = max(len(x) for x in rows_)
                results = []
                if head:
                    inp = torch.tensor([x + [pad] * (width - len(x)) for x in rows_])
                    mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in rows_])
                    logits = model(input_ids=inp, attention_mask=mask).logits
                    labels = cfg.id2label
                    for k, x in enumerate(rows_):
                        if a.task == "entities":
                            results.append((0, " ".join(labels[int(t)] for t in logits[k, :len(x)].argmax(-1))))
                        else:
                            results.append((0, labels[int(logits[k].argmax(-1))]))
                else:
                    labels_out = [None] * len(rows_)
                    if completions:  # PubMedQA: every label's completion scored after its prompt, one forward
                        scored = [x + c for x in rows_ for c in completions]
                        w = max(len(x) for x in scored)
                        inp = torch.tensor([x + [pad] * (w - len(x)) for x in scored])
                        mask = torch.tensor([[1] * len(x) + [0] * (w - len(x)) for x in scored])
                        # LM head only where a completion token is predicted (as the project does not
                        # compute the vocabulary at every padded position either)
                        hidden = model.biogpt(input_ids=inp, attention_mask=mask).last_hidden_state
                        for k, x in enumerate(rows_):
                            sums = []
                            for l, c in enumerate(completions):
                                r_ = k * len(completions) + l
                                pos = torch.arange(len(x) - 1, len(x) - 1 + len(c))
                                logp = torch.log_softmax(model.output_projection(hidden[r_, pos]).float(), -1)
                                sums.append(float(logp[torch.arange(len(c)), torch.tensor(c)].sum()))
                            labels_out[k] = task_def["labels"][max(range(len(sums)), key=lambda i: sums[i])]
                    gen = [[] for _ in rows_]
                    if a.max_new_tokens > 0:
                        inp = torch.tensor([[pad] * (width - len(x)) + x for x in rows_])
                        mask = torch.tensor([[0] * (width - len(x)) + [1] * len(x) for x in rows_])
                        res = model.generate(input_ids=inp, attention_mask=mask, max_new_tokens=a.max_new_tokens,
                                             do_sample=False, num_beams=1, pad_token_id=pad, eos_token_id=eos)
                        gen = [r_[:new_tokens(r_, eos)] for r_ in res[:, width:].tolist()]
                    for k in range(len(rows_)):
                        text = tok.decode(gen[k], skip_special_tokens=True) if a.max_new_tokens > 0 else None
                        results.append((len(gen[k]), text if text is not None else labels_out[k]))
                for j, (n_gen, output) in zip(batch, results):
                    out[valid[j]] = (len(ids[valid[j]]), n_gen, output)
        return out

    if warmup > 0:
        t0 = time.perf_counter()
        run(rows[:warmup])
        warm_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = run(rows)
    secs = time.perf_counter() - t0
    if a.dump:
        with open(a.dump, "w", encoding="utf-8") as f:
            for r, res in zip(rows, results):
                d = {"id": r["id"]}
                if res is None:
                    d["error"] = "no room for the prompt"
                else:
                    d.update(prompt_tokens=res[0], generated_tokens=res[1], output=res[2])
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    ok = [x for x in results if x is not None]
    prompt_tokens = sum(x[0] for x in ok)
    generated = sum(x[1] for x in ok)
    line = {"bench": "bench_task_hf", "task": a.task, "input": input_path, "docs": len(rows), "batch": a.batch,
            "max_new_tokens": 0 if head else a.max_new_tokens, "prompt_tokens": prompt_tokens,
            "generated_tokens": generated, "errors": len(results) - len(ok), "seconds": round(secs, 2),
            "load_seconds": round(load_s, 2), "docs_per_s": round(len(rows) / secs, 4),
            "prompt_tokens_per_s": round(prompt_tokens / secs, 1),
            "generated_tokens_per_s": round(generated / secs, 2)}
    if warmup > 0:
        line.update(warmup_docs=min(warmup, len(rows)), warmup_seconds=round(warm_s, 2))
    line.update(peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                torch=torch.__version__, threads=torch.get_num_threads())
    print(json.dumps(line))


if __name__ == "__main__":
    main()
