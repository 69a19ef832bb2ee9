"""The table of the latest results (bench/results/*.json) in Markdown, for docs/performance.md."""

import json

from bench.common import RESULTS


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def write_summary() -> str:
    lines = []
    pages = _load("pages")
    if pages:
        f = pages["figures"]
        lines += [
            f"### Pages under load ({f['server']}, wrk {f['connections']} connections, "
            f"{f['seconds_per_page']} s per page; measured {pages['measured_at']})",
            "",
            "| page | as | req/s | p50 ms | p95 ms | p99 ms | ratio to trivial | p95 < 150 ms | ratio ≥ 0.2 "
            "| CPU ms/request |",
            "|---|---|---:|---:|---:|---:|---:|---|---|---:|",
            f"| /healthz (no database) | anonymous | {f['trivial']['requests_per_s']} | {f['trivial']['p50_ms']} | "
            f"{f['trivial']['p95_ms']} | {f['trivial']['p99_ms']} | 1 | | | "
            f"{f['trivial'].get('cpu_ms_per_request', '')} |",
        ]
        for name, p in f["pages"].items():
            lines.append(
                f"| {name} ({p['note']}) | {p['as']} | {p['requests_per_s']} | {p['p50_ms']} | {p['p95_ms']} | "
                f"{p['p99_ms']} | {p['ratio_to_trivial']} | {_mark(p['meets_p95'])} | {_mark(p['meets_ratio'])} | "
                f"{p.get('cpu_ms_per_request', '')} |"
            )
        if "load_average_after" in f:
            load = ", ".join(str(round(x, 1)) for x in f["load_average_after"])
            lines.append(f"\nLoad average when the pages were done: {load} (2 cores).")
        lines.append("")
    fanout = _load("fanout")
    if fanout:
        f = fanout["figures"]
        lines += [
            f"### Invitation fan-out (measured {fanout['measured_at']})",
            "",
            "| figure | value | target |",
            "|---|---:|---|",
            f"| invitees | {f['invitees']} | 10,000 |",
            f"| Celery (2 worker processes) until the sink holds all | {f['celery_seconds']} s | < 60 s: "
            f"{_mark(f['celery_seconds'] < 60)} |",
            f"| plain smtplib loop, same messages, one connection | {f['plain_seconds']} s | |",
            f"| ratio plain / Celery | {f['ratio']} | ≥ 0.5: {_mark(f['ratio'] >= 0.5)} |",
            f"| peak worker RSS (largest process) | {f['peak_worker_rss_mb']} MB | < 300 MB: "
            f"{_mark(f['peak_worker_rss_mb'] < 300)} |",
            f"| messages at the sink / duplicates | {f['delivered']} / {f['duplicates']} | all, none |",
            "",
        ]
    reminders = _load("reminders")
    if reminders:
        f = reminders["figures"]
        lines += [
            f"### Due-reminder scan (measured {reminders['measured_at']})",
            "",
            "| sweep | nothing due (ms) | 1,000 due (ms) | rows handled when due | index scans |",
            "|---|---:|---:|---:|---|",
        ]
        for name, s in f["sweeps"].items():
            lines.append(f"| {name} | {s['nothing_due_ms']} | {s['due_ms']} | {s['due_rows']} | "
                         f"{_mark(s['index_scan'])} |")
        lines += [
            f"| **meeting + evaluation + outbox** | **{f['total_nothing_due_ms']}** | {f['total_due_ms']} | | "
            f"target < 50 ms with nothing due: {_mark(f['total_nothing_due_ms'] < 50)} |",
            "",
        ]
    export = _load("export")
    if export:
        f = export["figures"]
        lines += [
            f"### CSV export (measured {export['measured_at']})",
            "",
            "| figure | value | target |",
            "|---|---:|---|",
            f"| organisations exported | {f['rows']} | 10,000 |",
            f"| download time | {f['seconds']} s | |",
            f"| web process RSS before → peak | {f['rss_before_mb']} → {f['rss_peak_mb']} MB | |",
            f"| growth | {f['growth_mb']} MB | < 50 MB: {_mark(f['growth_mb'] < 50)} |",
            "",
        ]
    text = "\n".join(lines)
    (RESULTS / "summary.md").write_text(text + "\n")
    return text
