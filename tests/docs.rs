//! The documentation cannot rot: every SQL example in docs/schema.md runs against a database
//! filled by a real poll and returns rows; the example config is valid.

use crate::util::*;

fn sql_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```sql") => current = Some(String::new()),
            (Some(b), l) if l.starts_with("```") => {
                blocks.push(std::mem::take(b));
                current = None;
            }
            (Some(b), l) => {
                b.push_str(l);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[tokio::test]
async fn every_sql_example_in_the_schema_doc_runs_and_returns_rows() {
    let server = TestServer::start().await;
    let l = |p: &str| server.url(p);
    server.set(
        "/rss.xml",
        Route::ok(
            "application/rss+xml",
            rss(&[("d1", "Doc article one", &l("/a/1")), ("d2", "Doc two", &l("/a/2"))]),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    open_store(&cfg).add_feed(&l("/rss.xml"), None).unwrap();
    poll_once(&cfg).await;
    let store = open_store(&cfg);

    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/schema.md")).unwrap();
    let blocks = sql_blocks(&doc);
    assert!(blocks.len() >= 4, "found {} SQL examples", blocks.len());
    for sql in blocks {
        let mut stmt = store.conn().prepare(&sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
        let n = stmt.query_map([], |_| Ok(())).unwrap().count();
        assert!(n > 0, "no rows from:\n{sql}");
    }
    let version: i64 = store.conn().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert!(doc.contains(&format!("(version {version})")), "docs/schema.md names another schema version");
}
