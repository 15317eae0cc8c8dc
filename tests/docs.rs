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
    let story = "<p>US Secretary of State Antony Blinken met officials in Doha on Tuesday to discuss a \
        ceasefire, the State Department said.</p><p>\"We are working every day to bring the hostages home \
        and to get more aid into Gaza,\" Blinken told reporters after the talks.</p><p>CIA Director William \
        Burns also travelled to the region. Israel has said an operation in Rafah will go ahead.</p>";
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Docs</title><link>{}</link>\
         <item><guid>d1</guid><title>Doc article one</title><link>{}</link><description>{}</description>\
         <pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>\
         <item><guid>d2</guid><title>Doc two</title><link>{}</link><description>A second article.</description>\
         </item></channel></rss>",
        l("/"),
        l("/a/1"),
        xml_escape(story),
        l("/a/2")
    );
    server.set("/rss.xml", Route::ok("application/rss+xml", feed));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    open_store(&cfg).add_feed(&l("/rss.xml"), None).unwrap();
    poll_once(&cfg).await;
    // An old article of a second feed, deleted by retention, leaves a tombstone.
    server.set("/old.xml", Route::ok("application/rss+xml", rss(&[("o1", "Old news", &l("/a/old"))])));
    open_store(&cfg).add_feed(&l("/old.xml"), None).unwrap();
    poll_once(&cfg).await;
    let mut store = open_store(&cfg);
    store
        .conn()
        .execute("UPDATE articles SET fetched_at = '2001-01-01T00:00:00Z' WHERE title = 'Old news'", [])
        .unwrap();
    let year = std::time::Duration::from_secs(365 * 86400);
    let pruned =
        store.prune(&rill::store::Retention { max_age: Some(year), max_per_feed: None }, 10).unwrap();
    assert_eq!(pruned, 1);

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

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
