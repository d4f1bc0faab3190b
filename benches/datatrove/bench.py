"""Times datatrove's C4QualityFilter and GopherQualityFilter, and a bare pure-Python line rule,
over the first N MB of a JSONL corpus, on one core.

Run by compare.sh inside its own virtualenv (never part of the build or the tests):

    python bench.py CORPUS.jsonl [--mb 20] [--slice-out PATH] [--filters c4,gopher,bare]

The slice is whole lines, at least N x 1,000,000 bytes; MB/s counts those JSONL bytes, as the
residue figures do. Each filter's `filter(doc)` is called directly on fresh Documents (no
pipeline, no stats writing, no exclusion writer): the cheapest way to run it, so the figures
flatter datatrove if anything. Figures per filter: filter only, JSON parse + filter (the
comparable one: residue's figure includes reading and parsing the JSONL), and MB per CPU
second of parse + filter (steadier than wall time on a shared machine). A filter that
cannot run here (missing data, no network) is reported as such, never silently skipped.
"""

import argparse
import json
import os
import sys
import time
import traceback

TERMINAL = (".", "!", "?", '"', "'", "\u201d", "\u2019")


def bare_line_rule(text):
    """C4-like, without any tokeniser: keep lines that end in terminal punctuation and have at
    least 3 words; drop the document when the kept lines hold fewer than 3 sentences."""
    kept = []
    sentences = 0
    for line in text.splitlines():
        line = line.strip()
        if not line.endswith(TERMINAL) or line.endswith("..."):
            continue
        if len(line.split()) < 3:
            continue
        kept.append(line)
        sentences += line.count(". ") + line.count("! ") + line.count("? ") + 1
    if sentences < 3:
        return False
    return "\n".join(kept)


def read_slice(path, mb):
    limit = int(mb * 1_000_000)
    lines = []
    size = 0
    with open(path, "rb") as f:
        for line in f:
            lines.append(line)
            size += len(line)
            if size >= limit:
                break
    return lines, size


def timed(fn):
    wall = time.perf_counter()
    cpu = time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--slice-out")
    parser.add_argument("--filters", default="c4,gopher,bare")
    parser.add_argument("--json-out")
    args = parser.parse_args()

    lines, size = read_slice(args.corpus, args.mb)
    if args.slice_out:
        with open(args.slice_out, "wb") as f:
            f.writelines(lines)
    mb = size / 1e6

    def parse():
        out = []
        for line in lines:
            record = json.loads(line)
            out.append((str(record.get("id", "")), record.get("text") or ""))
        return out

    records, parse_wall, parse_cpu = timed(parse)
    print(f"slice: {len(records)} records, {size} bytes ({mb:.2f} MB) of {args.corpus}", file=sys.stderr)
    print(f"json.loads: {parse_wall:.2f}s wall, {parse_cpu:.2f}s CPU", file=sys.stderr)

    results = []

    def report(name, kept, wall, cpu, note=""):
        results.append(
            {
                "name": name,
                "records": len(records),
                "kept": kept,
                "filter_s": round(wall, 3),
                "cpu_s": round(cpu, 3),
                "mb_s_filter": round(mb / wall, 3),
                "mb_s_parse_filter": round(mb / (wall + parse_wall), 3),
                "mb_per_cpu_s": round(mb / (cpu + parse_cpu), 3),
                "note": note,
            }
        )
        print(f"{name}: {wall:.2f}s wall ({cpu:.2f}s CPU), kept {kept}/{len(records)}", file=sys.stderr)

    wanted = args.filters.split(",")
    if "bare" in wanted:
        kept, wall, cpu = timed(lambda: sum(1 for _, text in records if bare_line_rule(text) is not False))
        report("bare Python line rule (C4-like, no tokeniser)", kept, wall, cpu)

    for key in ("c4", "gopher"):
        if key not in wanted:
            continue
        name = {"c4": "datatrove C4QualityFilter", "gopher": "datatrove GopherQualityFilter"}[key]
        try:
            from datatrove.data import Document
            from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter

            step = C4QualityFilter() if key == "c4" else GopherQualityFilter()
            # Load the tokeniser outside the timing (one small document).
            step.filter(Document(text="This is a warm-up sentence. It has words. And a third one.", id="warm-up"))
            docs = [Document(text=text, id=doc_id) for doc_id, text in records]

            def run():
                kept = 0
                for doc in docs:
                    verdict = step.filter(doc)
                    if verdict is True or (isinstance(verdict, tuple) and verdict[0]):
                        kept += 1
                return kept

            kept, wall, cpu = timed(run)
            report(name, kept, wall, cpu)
        except Exception as error:  # noqa: BLE001 - report whatever stops it, honestly
            traceback.print_exc()
            results.append({"name": name, "error": f"{type(error).__name__}: {error}".strip()})
            print(f"{name}: could not run here: {type(error).__name__}: {error}", file=sys.stderr)

    try:
        import datatrove

        version = getattr(datatrove, "__version__", None)
        if version is None:
            from importlib.metadata import version as dist_version

            version = dist_version("datatrove")
    except Exception:  # noqa: BLE001
        version = "not installed"
    summary = {
        "corpus": args.corpus,
        "bytes": size,
        "records": len(records),
        "parse_s": round(parse_wall, 3),
        "parse_cpu_s": round(parse_cpu, 3),
        "datatrove": version,
        "python": sys.version.split()[0],
        "results": results,
    }
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(summary, f, indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
