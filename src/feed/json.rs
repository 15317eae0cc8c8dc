//! JSON Feed repair: a JSON Feed 1.0/1.1 document (or a near miss) → the shape feed-rs's strict
//! reader accepts, plus the facts feed-rs's model would lose.
//!
//! Owns the tolerance rules for JSON Feed: a missing or unknown `version` (including the
//! `http://` spelling of 1.0) is replaced, a missing `title` or `items` is supplied, numeric ids
//! become strings, fields of the wrong type are dropped (a string where a list belongs, a list of
//! objects with non-string members), a lone tag, attachment or author object becomes a list of one,
//! a bare author name an author, attachments without a URL are dropped, trailing bytes after
//! the object (a JSONP `);`) are ignored. It also reshapes what feed-rs would confuse: feed-rs
//! turns `url`, `external_url` and attachments into look-alike links, so an item keeps one page
//! link (`url`, else `external_url`) and every attachment carries a MIME type (empty when
//! unknown), which is how `parse` tells enclosures from the link; and the feed's
//! `home_page_url` and `feed_url` are returned beside the text. Invalid JSON, and JSON that is
//! neither versioned as a JSON Feed nor has `items`, is an error. Knows nothing of XML, URL
//! resolution or sanitising.

use serde_json::{Map, Value};

/// The version feed-rs is told every repaired document has.
const VERSION: &str = "https://jsonfeed.org/version/1.1";
/// Top-level fields that must be strings when present.
const FEED_STRINGS: &[&str] =
    &["home_page_url", "feed_url", "language", "description", "icon", "favicon", "title"];
/// Item fields that must be strings when present.
const ITEM_STRINGS: &[&str] = &[
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "date_published",
    "date_modified",
];

/// A JSON Feed reshaped for feed-rs.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonFeedDoc {
    /// The document feed-rs reads.
    pub text: String,
    /// The feed's web site (`home_page_url`), as written.
    pub home_page_url: Option<String>,
    /// The feed's own address (`feed_url`), as written.
    pub feed_url: Option<String>,
}

/// Returns the document rewritten into the shape feed-rs reads, or why it is not a JSON Feed.
pub fn normalise_json_feed(text: &str) -> Result<JsonFeedDoc, String> {
    let text = text.trim_start_matches('\u{feff}');
    // The first value only: anything after it (a JSONP tail, a second object) is ignored.
    let mut doc: Value = match serde_json::Deserializer::from_str(text).into_iter::<Value>().next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => return Err(format!("invalid JSON: {e}")),
        None => return Err("no JSON value".into()),
    };
    let Some(feed) = doc.as_object_mut() else { return Err("the document is JSON but not an object".into()) };
    let versioned = feed.get("version").and_then(Value::as_str).is_some_and(|v| {
        v.trim().trim_start_matches("https://").trim_start_matches("http://").starts_with("jsonfeed.org/")
    });
    if !versioned && !feed.get("items").is_some_and(Value::is_array) {
        return Err("JSON without a JSON Feed version or items".into());
    }
    feed.insert("version".into(), Value::String(VERSION.into()));
    keep_strings(feed, FEED_STRINGS);
    if !feed.contains_key("title") {
        feed.insert("title".into(), Value::String(String::new()));
    }
    fix_authors(feed);
    let items = match feed.remove("items") {
        Some(Value::Array(items)) => items.into_iter().filter_map(fix_item).collect(),
        _ => Vec::new(),
    };
    feed.insert("items".into(), Value::Array(items));
    let home_page_url = feed.get("home_page_url").and_then(Value::as_str).map(str::to_string);
    let feed_url = feed.get("feed_url").and_then(Value::as_str).map(str::to_string);
    let text = serde_json::to_string(&doc).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(JsonFeedDoc { text, home_page_url, feed_url })
}

fn fix_item(item: Value) -> Option<Value> {
    let Value::Object(mut item) = item else { return None };
    match item.get("id") {
        Some(Value::String(_)) | None => {}
        Some(Value::Number(n)) => {
            let id = n.to_string();
            item.insert("id".into(), Value::String(id));
        }
        Some(_) => {
            item.remove("id");
        }
    }
    keep_strings(&mut item, ITEM_STRINGS);
    // One page link: feed-rs lists url and external_url as equal links.
    let blank = |v: Option<&Value>| v.and_then(Value::as_str).is_none_or(|s| s.trim().is_empty());
    if let Some(external) = item.remove("external_url") {
        if blank(item.get("url")) {
            item.insert("url".into(), external);
        }
    }
    fix_authors(&mut item);
    if let Some(tags) = item.remove("tags") {
        let tags: Vec<Value> = match tags {
            Value::Array(tags) => tags.into_iter().filter(Value::is_string).collect(),
            // A single tag given as a string.
            Value::String(s) => vec![Value::String(s)],
            _ => Vec::new(),
        };
        item.insert("tags".into(), Value::Array(tags));
    }
    if let Some(atts) = item.remove("attachments") {
        let atts = match atts {
            Value::Array(atts) => atts,
            one @ Value::Object(_) => vec![one],
            _ => Vec::new(),
        };
        let atts: Vec<Value> = atts.into_iter().filter_map(fix_attachment).collect();
        item.insert("attachments".into(), Value::Array(atts));
    }
    Some(Value::Object(item))
}

/// An attachment with a URL, a MIME type (empty when unknown) and a size only when it is one.
fn fix_attachment(a: Value) -> Option<Value> {
    let Value::Object(mut a) = a else { return None };
    if a.get("url").and_then(Value::as_str).is_none_or(|u| u.trim().is_empty()) {
        return None;
    }
    if !a.get("mime_type").is_some_and(Value::is_string) {
        a.insert("mime_type".into(), Value::String(String::new()));
    }
    match a.get("size_in_bytes") {
        Some(v) if v.is_u64() => {}
        // A size written as a string of digits is still the size.
        Some(Value::String(s)) => match s.trim().parse::<u64>() {
            Ok(n) => {
                a.insert("size_in_bytes".into(), Value::from(n));
            }
            Err(_) => {
                a.remove("size_in_bytes");
            }
        },
        Some(_) => {
            a.remove("size_in_bytes");
        }
        None => {}
    }
    keep_strings(&mut a, &["title"]);
    Some(Value::Object(a))
}

/// `author` must be an object and `authors` a list of objects, each with string members.
fn fix_authors(obj: &mut Map<String, Value>) {
    let fix = |a: Value| -> Option<Value> {
        match a {
            Value::Object(mut a) => {
                keep_strings(&mut a, &["name", "url", "avatar"]);
                Some(Value::Object(a))
            }
            // A bare name, as some 1.0 feeds write it.
            Value::String(name) => {
                let mut a = Map::new();
                a.insert("name".into(), Value::String(name));
                Some(Value::Object(a))
            }
            _ => None,
        }
    };
    if let Some(a) = obj.remove("author") {
        if let Some(a) = fix(a) {
            obj.insert("author".into(), a);
        }
    }
    if let Some(list) = obj.remove("authors") {
        let list = match list {
            Value::Array(list) => list,
            one => vec![one],
        };
        obj.insert("authors".into(), Value::Array(list.into_iter().filter_map(fix).collect()));
    }
}

fn keep_strings(obj: &mut Map<String, Value>, keys: &[&str]) {
    for k in keys {
        if obj.get(*k).is_some_and(|v| !v.is_string()) {
            obj.remove(*k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> Value {
        normalise_json_feed(s).ok().and_then(|d| serde_json::from_str(&d.text).ok()).unwrap_or(Value::Null)
    }

    #[test]
    fn missing_version_and_title_are_supplied() {
        let v = fix(r#"{"items":[]}"#);
        assert!(v["version"] == VERSION && v["title"] == "" && v["items"] == serde_json::json!([]));
        let v = fix(r#"{"version":"http://jsonfeed.org/version/1","title":"t"}"#);
        assert!(v["version"] == VERSION && v["items"] == serde_json::json!([]));
    }

    #[test]
    fn numeric_ids_become_strings_and_bad_fields_go() {
        let v = fix(
            r#"{"items":[{"id":7,"title":["x"],"tags":{"a":1},"author":3,"attachments":[{"url":"u","size_in_bytes":"big"},{"mime_type":"x"}]}, 3]}"#,
        );
        let item = &v["items"][0];
        assert_eq!(item["id"], "7");
        assert!(item.get("title").is_none() && item.get("author").is_none());
        assert_eq!(item["tags"], serde_json::json!([]));
        assert_eq!(item["attachments"], serde_json::json!([{"url": "u", "mime_type": ""}]));
        assert_eq!(v["items"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn near_misses_are_read() {
        let v = fix(
            r#"{"items":[{"id":null,"external_url":"e","tags":"one","author":"Ann","authors":{"name":"Bo"},"attachments":{"url":"a","size_in_bytes":"12"}}]});"#,
        );
        let item = &v["items"][0];
        assert!(item.get("id").is_none() && item.get("external_url").is_none());
        assert_eq!(item["url"], "e");
        assert_eq!(item["tags"], serde_json::json!(["one"]));
        assert_eq!(item["author"], serde_json::json!({"name": "Ann"}));
        assert_eq!(item["authors"], serde_json::json!([{"name": "Bo"}]));
        assert_eq!(
            item["attachments"],
            serde_json::json!([{"url": "a", "mime_type": "", "size_in_bytes": 12}])
        );
        let v = fix(r#"{"items":[{"url":"u","external_url":"e"}]}"#);
        assert_eq!(v["items"][0]["url"], "u");
    }

    #[test]
    fn feed_addresses_are_returned() {
        let d = normalise_json_feed(r#"{"items":[],"home_page_url":"/","feed_url":"f.json"}"#);
        let d = d.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((d.home_page_url.as_deref(), d.feed_url.as_deref()), (Some("/"), Some("f.json")));
    }

    #[test]
    fn invalid_or_foreign_json_is_an_error() {
        assert!(normalise_json_feed("{\"items\": [").is_err());
        assert!(normalise_json_feed("[1, 2]").is_err());
        assert!(normalise_json_feed("{\"error\": \"not found\"}").is_err());
        assert!(normalise_json_feed("").is_err());
    }
}
