#!/usr/bin/env python3
"""Writes N synthetic model cards in the layout `pedigree import huggingface --cards`
reads (DIR/<owner>/<name>/README.md), shaped like the real cards in
tests/fixtures/import/cards: finetunes, GGUF quantizations, PEFT adapters, merges,
Hub licence ids and `other` + `license_name`, `datasets:` lists. For benchmarks only:
write it under target/ (it is synthetic, never data).

    python3 tests/bench/hub_cards.py 100000 target/cards-100k
"""

import os
import random
import sys

# Real repos the curated data knows, so part of the import links to curated records.
CURATED_ROOTS = [
    "meta-llama/Llama-3.1-8B",
    "meta-llama/Llama-3.1-8B-Instruct",
    "Qwen/Qwen2.5-7B",
    "mistralai/Mistral-7B-v0.1",
    "google/gemma-2-9b",
]
LICENSES = ["apache-2.0", "mit", "llama3.1", "gemma", "cc-by-nc-4.0", "other"]
DATASETS = ["HuggingFaceH4/ultrachat_200k", "tatsu-lab/alpaca", "synthetic/set-{n}"]


def card(rng, index, names):
    owner = f"synth-owner-{rng.randrange(max(1, len(names) // 20 + 1)):05d}"
    shape = rng.random()
    bases = []
    if names and rng.random() < 0.85:
        bases.append(rng.choice(names))
    elif rng.random() < 0.5:
        bases.append(rng.choice(CURATED_ROOTS))
    lines = []
    name = f"model-{index:07d}"
    if bases and shape < 0.25:
        name += "-GGUF"
        lines += ["tags:", "- gguf", "quantized_by: synth"]
    elif bases and shape < 0.35:
        lines += ["library_name: peft"]
    elif names and shape < 0.42:
        bases.append(rng.choice(names))
        lines += ["tags:", "- mergekit", "- merge"]
    else:
        lines += ["library_name: transformers"]
    if bases:
        lines.insert(0, "base_model:")
        for i, base in enumerate(dict.fromkeys(bases)):
            lines.insert(1 + i, f"- {base}")
    license = rng.choice(LICENSES)
    lines.append(f"license: {license}")
    if license == "other":
        lines.append(f"license_name: synth-licence-{rng.randrange(50)}")
    if rng.random() < 0.2:
        lines.append("datasets:")
        lines.append(f"- {rng.choice(DATASETS).format(n=rng.randrange(1000))}")
    return owner, name, "---\n" + "\n".join(lines) + "\n---\n# synthetic card\n"


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    names = []
    for index in range(count):
        owner, name, text = card(rng, index, names)
        folder = os.path.join(out, owner, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "README.md"), "w") as f:
            f.write(text)
        names.append(f"{owner}/{name}")
    print(f"{count} cards in {out}")


if __name__ == "__main__":
    main()
