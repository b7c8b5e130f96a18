"""How the hand-labelled samples of work reports were drawn (run once; its outputs were
given to coders who saw only the codebook spec and the reports).

    python draw_samples.py COLLECTION GOLD OUT

COLLECTION is the collection of work reports (its ``SOURCES.csv`` and files), GOLD the
study's 150 shared development sentences (their reports are left out of the samples), OUT
the folder the task files go to. The development sample (``sentences.csv``): every State
Council report (6 sentences each), 40 provincial reports, 20 of Anhui's cities and 30 other
cities (3 each), sentences at random positions, in three batches by report with 15 sentences
of each batch coded again by the next coder (``double-coded.csv``); 36 reports for section
starts and, added by hand for its headings that name no section, Yueyang 2022
(``sections.csv``). The held-out sample (``heldout.csv``), drawn later from reports in
neither, was coded after the codebook was frozen and measured once.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ANHUI = {"合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州",
         "六安", "亳州", "池州", "宣城"}
BY_HAND = "政府工作报告-其他地市/岳阳市/2022.md"
TASK = ["id", "path", "level", "unit_zh", "year", "sentence", "section", "domain", "confidence",
        "note"]


def is_anhui(row: dict) -> bool:
    return row["level"] == "city" and row["unit_zh"].removesuffix("市") in ANHUI


def sentences(text: str) -> list[str]:
    """Sentences as the task files give them: after 。；！？ and at line ends, markdown out."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    out = []
    for line in text.split("\n"):
        line = line.strip().replace("**", "").lstrip("#").strip()
        for found in re.findall(r"[^。；！？]+[。；！？”」』）)]*", line):
            found = found.strip()
            if found and re.search(r"[\u4e00-\u9fff]", found):
                out.append(found)
    return out


def draw(rng: random.Random, root: Path, picked: list[tuple[dict, int]], prefix: str) -> list[dict]:
    rows = []
    for report, k in picked:
        found = sentences((root / report["path"]).read_text(encoding="utf-8"))
        for at in sorted(rng.sample(range(len(found)), k)):
            rows.append({key: report[key] for key in ("path", "level", "unit_zh", "year")}
                        | {"sentence": found[at]})
    for number, row in enumerate(rows, start=1):
        row["id"] = f"{prefix}{number:03d}"
    return rows


def write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, TASK)
        writer.writeheader()
        for row in sorted(rows, key=lambda r: (r["path"], r["id"])):
            writer.writerow({**row, "section": "", "domain": "", "confidence": "", "note": ""})


def main(root: Path, gold_path: Path, out: Path) -> None:
    listing = list(csv.DictReader(open(root / "SOURCES.csv", encoding="utf-8")))
    gold = {r["path"] for r in csv.DictReader(open(gold_path, encoding="utf-8"))}
    national = [r for r in listing if r["level"] == "national"]

    def pool(used: set[str]):
        return ([r for r in listing if r["level"] == "province" and r["path"] not in used],
                [r for r in listing if is_anhui(r) and r["path"] not in used],
                [r for r in listing if r["level"] == "city" and not is_anhui(r)
                 and r["path"] not in used])

    rng = random.Random(20201)
    province, anhui, other = pool(gold)
    rows = draw(rng, root, [(r, 6) for r in national] + [(r, 3) for r in rng.sample(province, 40)]
                + [(r, 3) for r in rng.sample(anhui, 20)] + [(r, 3) for r in rng.sample(other, 30)],
                "s")
    paths = sorted({r["path"] for r in rows})
    rng.shuffle(paths)
    batch_of = {p: k % 3 for k, p in enumerate(paths)}
    batches: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        batches[batch_of[row["path"]]].append(row)
    again = {b: rng.sample(batches[(b + 1) % 3], 15) for b in range(3)}
    for b in range(3):
        write(out / f"sentences-batch{b + 1}.csv", batches[b] + again[b])
    starts = national + rng.sample(province, 15) + rng.sample(anhui, 7) + rng.sample(other, 7)
    chosen = [[r["path"] for r in starts[b::2]] for b in range(2)]
    chosen[1].append(BY_HAND)
    for b in range(2):
        (out / f"sections-batch{b + 1}.txt").write_text("".join(p + "\n" for p in chosen[b]),
                                                        encoding="utf-8")
    # the held-out sample, from reports in none of the above
    used = gold | {r["path"] for r in rows} | set(chosen[0]) | set(chosen[1])
    rng = random.Random(777)
    province, anhui, other = pool(used)
    write(out / "heldout-batch.csv",
          draw(rng, root, [(r, 4) for r in rng.sample(national, 3)]
               + [(r, 3) for r in rng.sample(province, 20)]
               + [(r, 3) for r in rng.sample(anhui, min(8, len(anhui)))]
               + [(r, 3) for r in rng.sample(other, 14)], "h"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
