//! URL canonicalisation.

use url::Url;

/// Options for [`canonicalize_url`].
#[derive(Debug, Clone)]
pub struct CanonOptions {
    /// Query parameters dropped as tracking noise. An entry ending in `*` is a prefix.
    pub tracking_params: Vec<String>,
}

impl Default for CanonOptions {
    fn default() -> Self {
        CanonOptions {
            tracking_params: ["utm_*", "fbclid", "gclid", "mc_cid", "mc_eid", "ref"]
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }
}

/// Why a URL has no canonical form.
#[derive(Debug, thiserror::Error)]
pub enum CanonError {
    #[error("not a URL: {0}")]
    Invalid(#[from] url::ParseError),
    #[error("not an http(s) URL: {0}")]
    Scheme(String),
}

/// The canonical form of an article URL.
pub fn canonicalize_url(input: &str, opts: &CanonOptions) -> Result<Url, CanonError> {
    let mut url = Url::parse(input.trim())?;
    match url.scheme() {
        "http" | "https" => {}
        _ => return Err(CanonError::Scheme(input.to_string())),
    }
    let _ = url.set_scheme("https");
    url.set_fragment(None);
    let drop = |k: &str| {
        opts.tracking_params.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => k.starts_with(prefix),
            None => k == p,
        })
    };
    let mut pairs: Vec<(String, String)> =
        url.query_pairs().filter(|(k, _)| !drop(k)).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    pairs.sort();
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    if url.path().len() > 1 && url.path().ends_with('/') {
        let p = url.path().trim_end_matches('/').to_string();
        url.set_path(&p);
    }
    Ok(url)
}
