"""Load every CSV file that a CSV on the Web metadata document describes,
with Python's csv module, and check each cell against its column: the
header, required cells, datatypes (string patterns, date, decimal,
nonNegativeInteger, anyURI, list separators), and that every date column's
_start and _end are full dates around it. Then add up grant-amounts.csv by
grant and currency, exactly (decimal.Decimal).

Usage: python3 check_csvw.py data/csv-metadata.json

Prints one JSON object: {"tables": N, "rows": {file: n}, "errors": [...],
"totals": {grant: {currency: "5500000.00"}}}. Exit 0 when it ran.
"""
import csv
import datetime
import decimal
import json
import os
import re
import sys

meta_path = sys.argv[1]
meta = json.load(open(meta_path, encoding="utf-8"))
folder = os.path.dirname(meta_path)
errors = []
rows_by_file = {}


def check(value, datatype):
    if isinstance(datatype, str):
        base, fmt = datatype, None
    else:
        base, fmt = datatype.get("base", "string"), datatype.get("format")
    if base == "string":
        return fmt is None or re.fullmatch(fmt, value) is not None
    if base == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return False
        datetime.date.fromisoformat(value)
        return True
    if base == "decimal":
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
            return False
        decimal.Decimal(value)
        return True
    if base == "nonNegativeInteger":
        return re.fullmatch(r"[0-9]+", value) is not None
    if base == "anyURI":
        return value != "" and not re.search(r"\s", value)
    return False


tables = {}
for table in meta["tables"]:
    name = table["url"]
    columns = table["tableSchema"]["columns"]
    with open(os.path.join(folder, name), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        expected = [c["name"] for c in columns]
        if header != expected:
            errors.append({"file": name, "message": f"header {header} is not {expected}"})
            continue
        records = []
        for n, row in enumerate(reader, start=2):
            if len(row) != len(columns):
                errors.append({"file": name, "line": n, "message": f"{len(row)} cells, not {len(columns)}"})
                continue
            record = dict(zip(header, row))
            records.append(record)
            for c in columns:
                value = record[c["name"]]
                if value == "":
                    if c.get("required"):
                        errors.append({"file": name, "line": n, "column": c["name"], "message": "empty, but required"})
                    continue
                items = value.split(c["separator"]) if "separator" in c else [value]
                for item in items:
                    try:
                        ok = check(item, c["datatype"])
                    except ValueError as e:
                        ok = False
                    if not ok:
                        errors.append({"file": name, "line": n, "column": c["name"], "message": f"{item!r} is not a {c['datatype']}"})
            # A date as recorded lies within its first and last day, with its precision.
            for c in columns:
                start = c["name"] + "_start"
                if start not in record:
                    continue
                recorded, first, last = record[c["name"]], record[start], record[c["name"] + "_end"]
                precision = record[c["name"] + "_precision"]
                if recorded == "":
                    if first or last or precision:
                        errors.append({"file": name, "line": n, "column": c["name"], "message": "parts without a date"})
                    continue
                want = {4: "year", 7: "month", 10: "day"}.get(len(recorded))
                if precision != want or not (first.startswith(recorded) and last.startswith(recorded)) or first > last:
                    errors.append({"file": name, "line": n, "column": c["name"], "message": f"{recorded} vs {first}..{last} ({precision})"})
        rows_by_file[name] = len(records)
        tables[name] = records

totals = {}
for r in tables.get("grant-amounts.csv", []):
    by = totals.setdefault(r["grant"], {})
    by[r["currency"]] = by.get(r["currency"], decimal.Decimal(0)) + decimal.Decimal(r["amount"])
print(json.dumps({
    "tables": len(meta["tables"]),
    "rows": rows_by_file,
    "errors": errors,
    "totals": {g: {c: str(v) for c, v in t.items()} for g, t in totals.items()},
}))
