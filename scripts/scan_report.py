"""Print what `make scan` found: wapiti's vulnerabilities and anomalies (its JSON report),
sqlmap's injectable parameters (its results CSV) and what the server answered (the access
log: requests, 5xx). Standard library only.

    python scripts/scan_report.py var/scan var/scan/access.log
"""

import collections
import csv
import json
import re
import sys
from pathlib import Path


def wapiti(out: Path) -> int:
    path = out / "wapiti" / "report.json"
    if not path.exists():
        print("wapiti: no report (see wapiti/wapiti.log)")
        return 1
    report = json.loads(path.read_text())
    found = 0
    for section, label in (("vulnerabilities", "vulnerability"), ("anomalies", "anomaly")):
        for category, items in sorted(report.get(section, {}).items()):
            for item in items:
                found += 1
                where = f"{item.get('method', '')} {item.get('path', '')}"
                param = f" [{item['parameter']}]" if item.get("parameter") else ""
                print(f"wapiti {label}: {category}: {where}{param} — {item.get('info', '').splitlines()[0][:160]}")
    info = report.get("infos", {})
    print(f"wapiti: {found} finding(s); crawled {info.get('crawled_pages_nbr', '?')} pages")
    return found


def sqlmap(out: Path) -> int:
    path = out / "sqlmap" / "results.csv"
    rows = []
    if path.exists():
        with path.open(newline="") as f:
            rows = [r for r in csv.DictReader(f) if (r.get("Parameter") or "").strip()]
    # sqlmap lists a candidate it then disproved itself with the note "false positive or
    # unexploitable": shown, not counted
    rejected = [r for r in rows if "false positive" in (r.get("Note(s)") or "")]
    rows = [r for r in rows if r not in rejected]
    for r in rows:
        print(f"sqlmap injectable: {r.get('Target URL')} [{r.get('Parameter')}] {r.get('Technique(s)')}")
    for r in rejected:
        print(f"sqlmap candidate it rejected itself: {r.get('Target URL')} [{r.get('Parameter')}] "
              f"{r.get('Technique(s)')} — {r.get('Note(s)')}")
    log = (out / "sqlmap" / "sqlmap.log").read_text(errors="replace") if (out / "sqlmap" / "sqlmap.log").exists() else ""
    total = re.search(r"found a total of (\d+) targets", log)
    reached = re.findall(r"\[\d+/\d+\] (?:URL|Form):\n(GET|POST) (\S+)", log)
    skipped = len(re.findall(r"\[INFO\] skipping 'http", log))  # parameters already tested on an earlier target
    clean = re.findall(r"(GET|POST) parameter '([^']+)' does not seem to be injectable", log)
    for method, url in reached:
        print(f"sqlmap target: {method} {url.split('?')[0]}")
    print(f"sqlmap: {len(rows)} injectable parameter(s) ({len(rejected)} candidate(s) it rejected itself); {len(reached)} of {total.group(1) if total else '?'} targets reached, "
          f"{skipped} skipped (their parameters already tested), {len(clean)} parameters found not injectable")
    return len(rows)


def server(access_log: Path) -> int:
    if not access_log.exists():
        return 0
    statuses = collections.Counter()
    errors = collections.Counter()
    for line in access_log.read_text(errors="replace").splitlines():
        m = re.search(r'"(\w+) (\S+?)(?:\?\S*)? HTTP/[\d.]+" (\d{3})', line)
        if m:
            statuses[m.group(3)[0] + "xx"] += 1
            if m.group(3).startswith("5"):
                errors[f"{m.group(1)} {m.group(2)} → {m.group(3)}"] += 1
    print("server: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())) + f" ({sum(statuses.values())} requests)")
    for what, n in errors.most_common():
        print(f"server error: {what} ×{n}")
    return sum(errors.values())


if __name__ == "__main__":
    out = Path(sys.argv[1])
    counts = [wapiti(out), sqlmap(out), server(Path(sys.argv[2]))]
    print(f"findings: wapiti {counts[0]}, sqlmap {counts[1]}, server errors {counts[2]}")
