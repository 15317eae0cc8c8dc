//! `rill extract` end to end: a saved page (plain or gzipped) in, text or JSON out, and the batch
//! shape the extraction benchmark reads.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::process::Command;

const PAGE: &str = "<html><head><title>Harbour reopens | Example News</title></head><body>\
    <nav><a href=/>Home</a></nav><article><h1>Harbour reopens</h1>\
    <p>The harbour reopened on Monday after three weeks of repairs to the sea wall, officials said.</p>\
    <p>Fishermen said the catch was good, and the <a href=\"/market\">market</a> was busy again by noon.</p>\
    </article><footer>Copyright</footer></body></html>";

fn rill() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rill"))
}

#[test]
fn extract_file_prints_text_and_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("page.html");
    std::fs::write(&path, PAGE).expect("write page");

    let out = rill().arg("extract").arg(&path).output().expect("run rill");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("The harbour reopened"), "{text}");
    assert!(text.contains("officials said.\n\nFishermen"), "{text}");
    assert!(!text.contains("Home") && !text.contains("Copyright"));

    let out = rill()
        .args(["extract", "--json", "--url", "https://news.example/2024/harbour"])
        .arg(&path)
        .output()
        .expect("run rill");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["title"], "Harbour reopens");
    assert_eq!(v["source"], "page");
    assert!(v["html"].as_str().unwrap_or("").contains("href=\"https://news.example/market\""));
}

#[test]
fn extract_batch_reads_gzipped_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(PAGE.as_bytes()).expect("gzip");
    std::fs::write(dir.path().join("a1.html.gz"), gz.finish().expect("gzip")).expect("write");
    std::fs::write(dir.path().join("b2.html"), PAGE).expect("write");
    std::fs::write(dir.path().join("notes.txt"), "ignored").expect("write");

    let out = rill().args(["extract", "--json", "--batch"]).arg(dir.path()).output().expect("run rill");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let obj = v.as_object().expect("object");
    assert_eq!(obj.len(), 2);
    for id in ["a1", "b2"] {
        assert!(v[id]["articleBody"].as_str().unwrap_or("").contains("harbour reopened"));
    }
}

#[test]
fn extract_url_asks_to_save_the_page_first() {
    let out = rill().args(["extract", "https://news.example/x"]).output().expect("run rill");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("save"));
}
