//! What de-identified insights read (opted-in members' published posts and the vocabulary
//! terms stored for them) and their audit log.

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{insights_audit, posts, users};
use super::schema_insight_terms::{insight_vocabulary, post_insight_terms};
use super::DbConnection;
use crate::domain::post::PostStatus;
use crate::error::Error;

/// A post that may count, with the vocabulary terms stored for it (`None` while none
/// are: the caller then scans its HTML, [`bodies`]).
pub struct CountedPost {
    pub author_id: i64,
    pub thread_id: i64,
    pub id: i64,
    pub created_at: i64,
    pub terms: Option<String>,
}

/// (author id, thread id, post id, created at, stored terms) as read.
type CountedRow = (Option<i64>, i64, i64, i64, Option<String>);

/// Published, not deleted posts of one community created in `[from, to)` (microseconds),
/// by members who opted in to insights — their choice as it stands now.
pub fn counted_posts(
    conn: &mut DbConnection,
    community_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<CountedPost>, Error> {
    let rows: Vec<CountedRow> = posts::table
        .inner_join(users::table.on(posts::author_id.eq(users::id.nullable())))
        .left_join(post_insight_terms::table)
        .filter(posts::community_id.eq(community_id))
        .filter(posts::status.eq(PostStatus::Published.as_str()))
        .filter(posts::deleted_at.is_null())
        .filter(posts::created_at.ge(from))
        .filter(posts::created_at.lt(to))
        .filter(users::insights_opt_in.eq(true))
        .select((
            posts::author_id,
            posts::thread_id,
            posts::id,
            posts::created_at,
            post_insight_terms::terms.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(author, thread_id, id, created_at, terms)| {
            author.map(|author_id| CountedPost {
                author_id,
                thread_id,
                id,
                created_at,
                terms,
            })
        })
        .collect())
}

/// The rendered HTML of the given posts: (post id, HTML).
pub fn bodies(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<(i64, String)>, Error> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            posts::table
                .filter(posts::id.eq_any(chunk))
                .select((posts::id, posts::body_html))
                .load::<(i64, String)>(conn)?,
        );
    }
    Ok(out)
}

/// Stores the terms a post's body mentions, replacing what was stored (its body changed).
pub fn set_terms(conn: &mut DbConnection, post_id: i64, terms: &str) -> Result<(), Error> {
    let upsert = diesel::insert_into(post_insight_terms::table)
        .values((
            post_insight_terms::post_id.eq(post_id),
            post_insight_terms::terms.eq(terms),
        ))
        .on_conflict(post_insight_terms::post_id)
        .do_update()
        .set(post_insight_terms::terms.eq(excluded(post_insight_terms::terms)));
    match conn {
        DbConnection::Postgres(pg) => upsert.execute(pg)?,
        DbConnection::Sqlite(sqlite) => upsert.execute(sqlite)?,
    };
    Ok(())
}

/// Up to `limit` posts after id `after` (in id order) with no stored terms: (id, HTML).
pub fn posts_without_terms(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>, Error> {
    Ok(posts::table
        .left_join(post_insight_terms::table)
        .filter(posts::id.gt(after))
        .filter(post_insight_terms::post_id.nullable().is_null())
        .order(posts::id.asc())
        .limit(limit)
        .select((posts::id, posts::body_html))
        .load(conn)?)
}

/// Stores terms found from posts' HTML read earlier: a post whose terms were written
/// since (its body changed meanwhile) keeps them.
pub fn fill_terms(conn: &mut DbConnection, rows: &[(i64, String)]) -> Result<(), Error> {
    for (post_id, terms) in rows {
        let insert = diesel::insert_into(post_insight_terms::table)
            .values((
                post_insight_terms::post_id.eq(post_id),
                post_insight_terms::terms.eq(terms),
            ))
            .on_conflict_do_nothing();
        match conn {
            DbConnection::Postgres(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    Ok(())
}

/// The fingerprints of the vocabulary the stored terms were found with (one, or none
/// before the first filling).
pub fn vocabulary_fingerprints(conn: &mut DbConnection) -> Result<Vec<String>, Error> {
    Ok(insight_vocabulary::table
        .select(insight_vocabulary::fingerprint)
        .load(conn)?)
}

/// Forgets every stored term (found with another vocabulary) and records `fingerprint`
/// as the vocabulary of the terms stored from now on.
pub fn reset_terms(conn: &mut DbConnection, fingerprint: &str) -> Result<(), Error> {
    diesel::delete(post_insight_terms::table).execute(conn)?;
    diesel::delete(insight_vocabulary::table).execute(conn)?;
    diesel::insert_into(insight_vocabulary::table)
        .values(insight_vocabulary::fingerprint.eq(fingerprint))
        .execute(conn)?;
    Ok(())
}

pub struct AuditEntry<'a> {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub channel: &'a str,
    pub community_id: i64,
    pub from_month: &'a str,
    pub to_month: &'a str,
    pub format: &'a str,
    pub outcome: &'a str,
    pub created_at: i64,
}

pub fn audit(conn: &mut DbConnection, entry: &AuditEntry<'_>) -> Result<(), Error> {
    diesel::insert_into(insights_audit::table)
        .values((
            insights_audit::id.eq(entry.id),
            insights_audit::actor_id.eq(entry.actor_id),
            insights_audit::channel.eq(entry.channel),
            insights_audit::community_id.eq(entry.community_id),
            insights_audit::from_month.eq(entry.from_month),
            insights_audit::to_month.eq(entry.to_month),
            insights_audit::format.eq(entry.format),
            insights_audit::outcome.eq(entry.outcome),
            insights_audit::created_at.eq(entry.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn audit_count(conn: &mut DbConnection, community_id: i64) -> Result<i64, Error> {
    Ok(insights_audit::table
        .filter(insights_audit::community_id.eq(community_id))
        .count()
        .get_result(conn)?)
}

/// One actor's audit rows, oldest first: (channel, format, outcome). For reviews of what
/// a research partner looked at, and for tests.
pub fn audit_of_actor(
    conn: &mut DbConnection,
    actor_id: i64,
) -> Result<Vec<(String, String, String)>, Error> {
    Ok(insights_audit::table
        .filter(insights_audit::actor_id.eq(actor_id))
        .order((insights_audit::created_at.asc(), insights_audit::id.asc()))
        .select((
            insights_audit::channel,
            insights_audit::format,
            insights_audit::outcome,
        ))
        .load(conn)?)
}
