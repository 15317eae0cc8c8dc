"""Shared helpers of farm_check.py and story_score.py: read a farm_keep.sh output directory."""
import json
import os
import sqlite3
from urllib.parse import urlsplit


def key(url):
    """Identity of a farm article URL: host:port + path. The farm's canonical URLs are
    http://HOST:PORT/articles/aN.html; rill stores them as https://HOST:PORT/articles/aN.html
    (scheme forced to https, tracking query and fragment dropped), so scheme, query and fragment
    are left out of the key."""
    s = urlsplit(url)
    return (s.netloc.lower(), s.path)


def truth_articles(out):
    """Article key -> story key, over the truth before pass 1 and before pass 2 (an article pushed
    out of its feed's 20-item window by /admin/advance is in the first only)."""
    m = {}
    for p in (os.path.join(out, "truth0.json"), os.path.join(out, "client", "truth1.json")):
        if os.path.exists(p):
            for url, v in json.load(open(p))["articles"].items():
                m[key(url)] = v["story"]
    return m


def rill_rows(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("select id, url, canonical_url, story_id, seq from articles").fetchall()
    con.close()
    return rows
