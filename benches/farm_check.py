#!/usr/bin/env python3
"""Did rill store exactly the farm's distinct articles? Reads a farm_keep.sh output directory.

usage: farm_check.py OUT
After pass 1 (client/rill-pass1.db) the expected set is /truth before pass 1; after pass 2
(client/rill.db) it is the union of /truth before pass 1 and before pass 2. /truth maps the
articles of healthy feeds only, so with FAIL_SHARE > 0 articles of the recoverable feeds
(malformed, charset) show up as 'not in truth' and are counted against with_recoverable_feeds.
"""
import json
import os
import sys
from collections import Counter

from farm_common import key, rill_rows


def check(label, db, truth_paths):
    expected = {}
    for p in truth_paths:
        for url in json.load(open(p))["articles"]:
            expected[key(url)] = url
    rows = rill_rows(db)
    committed = [r for r in rows if r[4] is not None]
    keys = Counter(key(r[1]) for r in committed)
    dup = {k: n for k, n in keys.items() if n > 1}
    stored = set(keys)
    missing = set(expected) - stored
    extra = stored - set(expected)
    canon_mismatch = sum(1 for r in committed if r[2] and key(r[2]) != key(r[1]))
    print(f"{label}: rows={len(rows)} committed(seq not null)={len(committed)} distinct_keys={len(stored)} "
          f"expected(truth)={len(expected)} missing={len(missing)} not_in_truth={len(extra)} "
          f"duplicated_keys={len(dup)} url!=canonical_url={canon_mismatch}")
    for k in sorted(missing)[:5]:
        print("  missing:", expected[k])
    for k in sorted(extra)[:5]:
        print("  not in truth:", k)
    for k, n in sorted(dup.items())[:5]:
        print("  duplicated:", k, n)


def main(out):
    # The client's own truth before its pass 1 (the farm-wide one when the baseline did not run first).
    t0 = os.path.join(out, "client", "truth0.json")
    if not os.path.exists(t0):
        t0 = os.path.join(out, "truth0.json")
    t1 = os.path.join(out, "client", "truth1.json")
    d = json.load(open(t0))
    print("truth before pass 1:", d["healthy_feeds"], "recoverable:", d["with_recoverable_feeds"])
    if os.path.exists(t1):
        print("truth before pass 2:", json.load(open(t1))["healthy_feeds"])
    p1 = os.path.join(out, "client", "rill-pass1.db")
    if os.path.exists(p1):
        check("after pass 1", p1, [t0])
    check("after pass 2", os.path.join(out, "client", "rill.db"), [t0, t1])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
