#!/usr/bin/env python3
"""Side-by-side speed of factuur and docx-mailmerge2 (PyPI) on the same template and data.

Usage (from the repository root):
    python3 -m pip install docx-mailmerge2      # once
    cargo build --release --features cli
    python3 benches/peer/run.py [N]

Both merge benches/peer/template.docx with benches/peer/data.json N times (default 1000), one
document per merge written to disk, on one thread; factuur through its CLI batch mode
(`factuur merge --data RECORDS.jsonl --out-dir DIR --jobs 1`), docx-mailmerge2 in a Python loop.
Prints seconds per document for each and the ratio. Then factuur alone on 2 threads.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from mailmerge import MailMerge

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TEMPLATE = os.path.join(HERE, "template.docx")
DATA = os.path.join(HERE, "data.json")
FACTUUR = os.path.join(ROOT, "target", "release", "factuur")


NUMBERS = {"TOTAL_EXCL_VAT", "TOTAL_VAT", "TOTAL_PAYABLE", "LINE_QUANTITY", "LINE_PRICE",
           "LINE_NET_AMOUNT"}


def numbers(d):
    # docx-mailmerge2 applies \# pictures to numbers only; give it numbers where factuur reads
    # the same strings exactly.
    return {k: float(v) if k in NUMBERS else v for k, v in d.items()}


def python_peer(n, out):
    data = json.load(open(DATA, encoding="utf-8"))
    rows = [numbers(r) for r in data.pop("LINE_DESCRIPTION")]
    data = numbers(data)
    start = time.perf_counter()
    for i in range(n):
        doc = MailMerge(TEMPLATE)
        doc.merge(**data)
        doc.merge_rows("LINE_DESCRIPTION", rows)
        doc.write(os.path.join(out, f"{i}.docx"))
    return time.perf_counter() - start


def python_in_memory(n):
    import io
    data = json.load(open(DATA, encoding="utf-8"))
    rows = [numbers(r) for r in data.pop("LINE_DESCRIPTION")]
    data = numbers(data)
    start = time.perf_counter()
    for _ in range(n):
        doc = MailMerge(TEMPLATE)
        doc.merge(**data)
        doc.merge_rows("LINE_DESCRIPTION", rows)
        doc.write(io.BytesIO())
    return time.perf_counter() - start


def criterion_mean(name):
    path = os.path.join(ROOT, "target", "criterion", "merge", name, "new", "estimates.json")
    try:
        return json.load(open(path))["mean"]["point_estimate"] / 1e9
    except OSError:
        return None


def factuur(n, out, jobs):
    record = json.dumps(json.load(open(DATA, encoding="utf-8")), ensure_ascii=False)
    jsonl = os.path.join(out, "records.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for _ in range(n):
            f.write(record + "\n")
    start = time.perf_counter()
    subprocess.run(
        [FACTUUR, "merge", TEMPLATE, "--data", jsonl, "--out-dir", os.path.join(out, "docs"),
         "--jobs", str(jobs)],
        check=True,
    )
    return time.perf_counter() - start


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    tmp = tempfile.mkdtemp(prefix="factuur-peer-")
    try:
        py_dir = os.path.join(tmp, "py")
        os.makedirs(py_dir)
        py = python_peer(n, py_dir)
        rs = factuur(n, os.path.join(tmp, "rs1"), 1) if os.makedirs(os.path.join(tmp, "rs1")) is None else 0
        os.makedirs(os.path.join(tmp, "rs2"))
        rs2 = factuur(n, os.path.join(tmp, "rs2"), 2)
        print(f"documents: {n}")
        print(f"docx-mailmerge2, 1 thread: {py:.3f} s ({py / n * 1e3:.3f} ms/doc)")
        print(f"factuur,         1 thread: {rs:.3f} s ({rs / n * 1e3:.3f} ms/doc)")
        print(f"ratio: factuur is {py / rs:.1f}x faster")
        print(f"factuur,         2 threads: {rs2:.3f} s for {n} documents")
        mem = python_in_memory(n)
        print(f"in memory, docx-mailmerge2: {mem / n * 1e3:.3f} ms/doc")
        ours = criterion_mean("render_data")
        floor = criterion_mean("floor_copy_and_recompress")
        if ours:
            print(f"in memory, factuur (cargo bench --bench merge, render_data): {ours * 1e3:.3f} ms/doc"
                  f" -> {mem / n / ours:.0f}x faster")
        if ours and floor:
            print(f"factuur vs floor (copy raw, recompress story parts): {ours / floor:.2f}x")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
