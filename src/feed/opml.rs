//! OPML subscription lists: reading (`feed import`, `[feeds] opml`) and writing (`feed export`).
//!
//! Reads every `<outline>` with an `xmlUrl`, at any depth (categories are folders of outlines),
//! with quick-xml in a streaming pass. Writes OPML 2.0. Knows nothing of the database.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Deepest outline nesting accepted (categories in categories …).
const MAX_DEPTH: usize = 64;

/// One subscription in an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub xml_url: String,
    pub title: Option<String>,
    pub html_url: Option<String>,
}

/// Why an OPML document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    #[error("not OPML: {0}")]
    Xml(String),
    #[error("not OPML: the root element is <{0}>, expected <opml>")]
    NotOpml(String),
    #[error("outlines nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// Parses an OPML document into its feeds, in document order.
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<OpmlFeed>, OpmlError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut feeds = Vec::new();
    let mut depth = 0usize;
    let mut saw_root = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| OpmlError::Xml(e.to_string()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name().as_ref().to_string();
                if !saw_root {
                    if !name.eq_ignore_ascii_case("opml") {
                        return Err(OpmlError::NotOpml(name));
                    }
                    saw_root = true;
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(OpmlError::TooDeep);
                    }
                }
                if name.eq_ignore_ascii_case("outline") {
                    let mut feed = OpmlFeed { xml_url: String::new(), title: None, html_url: None };
                    let mut text = None;
                    for attr in e.attributes().flatten() {
                        let value = attr
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map(|v| v.trim().to_string())
                            .unwrap_or_default();
                        if value.is_empty() {
                            continue;
                        }
                        match attr.key.local_name().as_ref().to_ascii_lowercase().as_str() {
                            "xmlurl" => feed.xml_url = value,
                            "title" => feed.title = Some(value),
                            "text" => text = Some(value),
                            "htmlurl" => feed.html_url = Some(value),
                            _ => {}
                        }
                    }
                    if !feed.xml_url.is_empty() {
                        feed.title = feed.title.or(text);
                        feeds.push(feed);
                    }
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(OpmlError::Xml("the document is empty".into()));
    }
    Ok(feeds)
}

/// Writes an OPML 2.0 document listing `feeds`.
pub fn write_opml(title: &str, feeds: &[OpmlFeed]) -> String {
    use quick_xml::escape::escape;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!("  <head>\n    <title>{}</title>\n  </head>\n  <body>\n", escape(title)));
    for f in feeds {
        let text = f.title.as_deref().unwrap_or(&f.xml_url);
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\"",
            escape(text),
            escape(text),
            escape(&f.xml_url)
        ));
        if let Some(h) = &f.html_url {
            out.push_str(&format!(" htmlUrl=\"{}\"", escape(h)));
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_outlines_and_round_trip() {
        let doc = r#"<?xml version="1.0"?><opml version="1.0"><head/><body>
            <outline text="News"><outline text="A &amp; B" xmlUrl="https://a.example/feed?x=1&amp;y=2" htmlUrl="https://a.example/"/></outline>
            <outline title="T" xmlUrl=" https://b.example/rss "/>
            <outline text="folder without url"/></body></opml>"#;
        let feeds = parse_opml(doc.as_bytes()).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].xml_url, "https://a.example/feed?x=1&y=2");
        assert_eq!(feeds[0].title.as_deref(), Some("A & B"));
        assert_eq!(feeds[1].xml_url, "https://b.example/rss");
        let again = parse_opml(write_opml("x", &feeds).as_bytes()).unwrap();
        assert_eq!(again, feeds);
    }

    #[test]
    fn not_opml_is_an_error() {
        assert!(matches!(parse_opml(b"<rss><channel/></rss>"), Err(OpmlError::NotOpml(_))));
        assert!(parse_opml(b"").is_err());
        assert!(parse_opml(b"<opml><body><outline").is_err());
    }
}
