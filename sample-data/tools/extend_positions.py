#!/usr/bin/env python3
"""Gives a tiny BioGPT checkpoint more learned positions, keeping every existing weight byte for byte.

    python3 sample-data/tools/extend_positions.py sample-data/models/biogpt-tiny 1024

BioGPT's position table has max_position_embeddings + 2 rows (Hugging Face's offset of 2). The rows
already there are kept, so outputs for inputs that fit the old length do not change; the new rows are
drawn from N(0, initializer_range) with a fixed seed, as transformers initialises them. config.json's
max_position_embeddings is updated to match. Needs numpy only.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

KEY = "biogpt.embed_positions.weight"


def main(model_dir: str, positions: int) -> None:
    folder = Path(model_dir)
    config_path = folder / "config.json"
    config = json.loads(config_path.read_text())
    weights = folder / "model.safetensors"
    raw = weights.read_bytes()
    header_len = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + header_len])
    data = raw[8 + header_len:]
    info = header[KEY]
    if info["dtype"] != "F32":
        raise SystemExit(f"{KEY} is {info['dtype']}, this tool writes F32 only")
    rows, width = info["shape"]
    wanted = positions + 2
    if rows > wanted:
        raise SystemExit(f"{KEY} already has {rows} rows, more than {wanted}")
    start, end = info["data_offsets"]
    old = np.frombuffer(data[start:end], dtype="<f4").reshape(rows, width)
    rng = np.random.default_rng(20240613)
    extra = rng.normal(0.0, config.get("initializer_range", 0.02), size=(wanted - rows, width)).astype("<f4")
    table = np.concatenate([old, extra]).tobytes()

    out_header = {}
    chunks = []
    offset = 0
    for name, meta in header.items():
        if name == "__metadata__":
            out_header[name] = meta
            continue
        if name == KEY:
            blob, shape = table, [wanted, width]
        else:
            blob, shape = data[meta["data_offsets"][0]:meta["data_offsets"][1]], meta["shape"]
        out_header[name] = {"dtype": meta["dtype"], "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        chunks.append(blob)
        offset += len(blob)
    encoded = json.dumps(out_header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    weights.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))
    config["max_position_embeddings"] = positions
    config_path.write_text(json.dumps(config, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
