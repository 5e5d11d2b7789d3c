"""Server time of one address through Django's test client, shared by the page benchmarks."""

import math
import statistics
import time


def percentile(samples, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(client, name, url, *, warmup, runs):
    """Warm up, count the SQL queries of one request, then time `runs` requests. Prints one line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} a répondu {response.status_code}")
    # Queries are counted in a separate pass: capturing them slows the cursor down.
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = len(captured.captured_queries)  # read now: the next request clears the log
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    row = {
        "name": name,
        "url": url,
        "sql_queries": sql,
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "samples": len(samples),
        "_samples": samples,
    }
    print(f"{row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f} {sql:4d}  {name}")
    return row
