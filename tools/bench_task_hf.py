#!/usr/bin/env python3
"""Hugging Face counterpart of the project's task benchmark: the real prompts of N documents of a BioGPT
task, greedy generation, docs/s, prompt tokens/s and generated tokens/s, wall time including tokenization.

Prompts are built as the project's core/task/PromptBuilder builds them, from the same task definitions
(core/src/main/resources/org/biogpt/spark/core/task/tasks.json): the source template, newline rule,
lowercasing; a source longer than max_source_tokens keeps its first max-1 BPE pieces then "..."; the
learned prompt (learned1..learnedK) is appended. Rows are sorted by prompt length and run in left-padded
batches of --batch, as the project's runtime batches them.

Input: JSONL. relations:bc5cdr reads {"id","title","text"}; qa reads {"id","question","text"} (text = the
context). --make-input writes such a file from the BioGPT test sets in the shared data folder, so both sides
read the same file:
    python3 tools/bench_task_hf.py --make-input relations:bc5cdr --data DATA_ROOT --docs 64 --out bc5cdr.jsonl
    python3 tools/bench_task_hf.py --make-input qa --data DATA_ROOT --docs 64 --out qa.jsonl
Benchmark (REF_SITE = the reference import folder, see docs/PERFORMANCE.md):
    REF_SITE=... /usr/bin/python3 tools/bench_task_hf.py --task relations:bc5cdr --input bc5cdr.jsonl \
        --model-dir CHECKPOINT --docs 32 --batch 8 --max-new-tokens 64
--dump-prompts FILE writes {"id","input_ids"} per document, to compare the prompt ids with the project's.
Prints one JSON line.
"""
import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TASKS_JSON = HERE.parent / "core" / "src" / "main" / "resources" / "org" / "biogpt" / "spark" / "core" / "task" / "tasks.json"
TASK_NAMES = {"relations:bc5cdr": "bc5cdr", "qa": "pubmedqa"}
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


def prompt_ids(tok, task_def, text, learned, ellipsis):
    enc = tok(text)["input_ids"]  # [</s>, pieces...]
    pieces = len(enc) - 1
    cap = task_def["max_source_tokens"]
    if pieces > cap:
        enc = enc[:cap] + [ellipsis]
    return enc + learned


def fields_of(task, row):
    if task == "qa":
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", choices=sorted(TASK_NAMES))
    ap.add_argument("--input")
    ap.add_argument("--model-dir")
    ap.add_argument("--docs", type=int, default=32)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
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
    if not (a.task and a.input and a.model_dir):
        raise SystemExit("--task, --input and --model-dir are required")

    if os.environ.get("REF_SITE"):
        sys.path.insert(0, os.environ["REF_SITE"])
    if "OMP_WAIT_POLICY" not in os.environ:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # see bench_hf.py: GNU OpenMP spin costs ms per small op
    import torch
    torch.set_num_threads(a.threads)
    import transformers.tokenization_utils_base as tub
    from transformers import BioGptForCausalLM, BioGptTokenizer
    from transformers.utils import is_tokenizers_available
    if not is_tokenizers_available():
        # Without the Rust `tokenizers` package, transformers 4.34-4.40's fallback AddedToken is
        # unhashable and slow tokenizers fail in __init__; give it the real one's content-based
        # hash/eq/setstate (no BioGPT code is touched).
        tub.AddedToken.__hash__ = lambda self: hash(self.content)
        tub.AddedToken.__eq__ = lambda self, o: self.content == o.content if isinstance(o, tub.AddedToken) else NotImplemented
        tub.AddedToken.__setstate__ = lambda self, state: self.__dict__.update(state)

    task_def = task_definition(a.task)
    tok = BioGptTokenizer.from_pretrained(a.model_dir)
    learned = []
    for k in range(1, 1000):
        i = piece_id(tok, f"learned{k}")
        if i is None:
            break
        learned.append(i)
    ellipsis = piece_id(tok, "...")
    rows = [json.loads(l) for l in open(a.input, encoding="utf-8") if l.strip()][: a.docs]
    if a.dump_prompts:
        with open(a.dump_prompts, "w") as f:
            for r in rows:
                p = prompt_ids(tok, task_def, source(task_def, fields_of(a.task, r)), learned, ellipsis)
                f.write(json.dumps({"id": r["id"], "input_ids": p}) + "\n")
        if a.prompts_only:
            return
    t_load = time.perf_counter()
    model = BioGptForCausalLM.from_pretrained(a.model_dir, torch_dtype=torch.float32).eval()
    load_s = time.perf_counter() - t_load

    t0 = time.perf_counter()
    prompts = [prompt_ids(tok, task_def, source(task_def, fields_of(a.task, r)), learned, ellipsis) for r in rows]
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    pad = model.config.pad_token_id
    generated = 0
    with torch.no_grad():
        for s in range(0, len(order), a.batch):
            ids = [prompts[i] for i in order[s:s + a.batch]]
            width = max(len(x) for x in ids)
            inp = torch.tensor([[pad] * (width - len(x)) + x for x in ids])
            mask = torch.tensor([[0] * (width - len(x)) + [1] * len(x) for x in ids])
            out = model.generate(input_ids=inp, attention_mask=mask, max_new_tokens=a.max_new_tokens,
                                 do_sample=False, num_beams=1, pad_token_id=pad,
                                 eos_token_id=model.config.eos_token_id)
            new = out[:, width:]
            for row in new.tolist():  # tokens up to and including the first EOS count as generated
                n = len(row)
                if model.config.eos_token_id in row:
                    n = row.index(model.config.eos_token_id) + 1
                generated += n
    secs = time.perf_counter() - t0
    prompt_tokens = sum(len(p) for p in prompts)
    print(json.dumps({"bench": "bench_task_hf", "task": a.task, "docs": len(rows), "batch": a.batch,
                      "max_new_tokens": a.max_new_tokens, "prompt_tokens": prompt_tokens,
                      "generated_tokens": generated, "seconds": round(secs, 2), "load_seconds": round(load_s, 2),
                      "docs_per_s": round(len(rows) / secs, 4),
                      "prompt_tokens_per_s": round(prompt_tokens / secs, 1),
                      "generated_tokens_per_s": round(generated / secs, 2),
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
