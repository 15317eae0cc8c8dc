#!/usr/bin/env python3
"""Pairwise precision / recall of rill's story grouping against the farm's /truth.

usage: story_score.py OUT            (a farm_keep.sh output directory)
       story_score.py RILL.db TRUTH.json [TRUTH.json ...]

A pair is two articles in the same story. Predicted pairs: two rill articles with the same
articles.story_id; true pairs: two articles with the same story key in /truth's article map.
precision = correct pairs / predicted pairs, recall = correct pairs / true pairs. Articles are
matched by URL (host:port + path, see farm_common.key); only committed rill articles (seq not null)
found in /truth are scored; an article with no story_id is a story of its own.
"""
import json
import os
import sys
from collections import Counter

from farm_common import key, rill_rows, truth_articles


def pairs(n):
    return n * (n - 1) // 2


def main(db, truth):
    rows = [r for r in rill_rows(db) if r[4] is not None]
    pred = {}
    for rid, url, _canon, story_id, _seq in rows:
        k = key(url)
        if k in truth:
            pred[k] = story_id if story_id is not None else f"none-{rid}"
    unmatched = len(rows) - len(pred)
    no_story = sum(1 for v in pred.values() if isinstance(v, str))
    pred_groups = Counter(pred.values())
    true_groups = Counter(truth[k] for k in pred)
    cells = Counter((pred[k], truth[k]) for k in pred)
    p_pairs = sum(pairs(n) for n in pred_groups.values())
    t_pairs = sum(pairs(n) for n in true_groups.values())
    correct = sum(pairs(n) for n in cells.values())
    prec = correct / p_pairs if p_pairs else float("nan")
    rec = correct / t_pairs if t_pairs else float("nan")
    f1 = 2 * prec * rec / (prec + rec) if p_pairs and t_pairs and prec + rec else float("nan")
    print(f"articles scored={len(pred)} (rill committed={len(rows)}, not in truth={unmatched}, "
          f"truth articles={len(truth)}, without story_id={no_story})")
    print(f"stories: rill={len(pred_groups)} truth={len(true_groups)}")
    print(f"pairs: predicted={p_pairs} true={t_pairs} correct={correct}")
    print(f"precision={prec:.4f} recall={rec:.4f} f1={f1:.4f}")


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) == 1:
        main(os.path.join(a[0], "client", "rill.db"), truth_articles(a[0]))
    elif len(a) >= 2:
        t = {}
        for p in a[1:]:
            for url, v in json.load(open(p))["articles"].items():
                t[key(url)] = v["story"]
        main(a[0], t)
    else:
        sys.exit(__doc__)
