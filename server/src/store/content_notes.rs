//! The content-note tables: the notes on posts and threads, each member's choice of
//! notes to fold away, and each community's defaults. Notes are stored as text in the
//! form `ContentNotes::to_stored` writes; an unknown stored name is a read error.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema_content_notes::{
    community_content_notes, member_content_notes, post_content_notes, thread_content_notes,
};
use super::DbConnection;
use crate::domain::content_note::ContentNotes;
use crate::domain::ids::{CommunityId, UserId};
use crate::error::Error;

fn read_map(rows: Vec<(i64, String)>) -> Result<HashMap<i64, ContentNotes>, Error> {
    rows.into_iter()
        .map(|(id, stored)| Ok((id, ContentNotes::from_stored(&stored)?)))
        .collect()
}

/// Sets a post's notes (none: its row goes).
pub fn set_post(conn: &mut DbConnection, post_id: i64, notes: &ContentNotes) -> Result<(), Error> {
    diesel::delete(post_content_notes::table.find(post_id)).execute(conn)?;
    add_post(conn, post_id, notes)
}

/// Marks a post that has no notes yet with `notes` (none: nothing to write).
pub fn add_post(conn: &mut DbConnection, post_id: i64, notes: &ContentNotes) -> Result<(), Error> {
    if !notes.is_empty() {
        diesel::insert_into(post_content_notes::table)
            .values((
                post_content_notes::post_id.eq(post_id),
                post_content_notes::notes.eq(notes.to_stored()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Sets a thread's notes, when it is started.
pub fn set_thread(
    conn: &mut DbConnection,
    thread_id: i64,
    notes: &ContentNotes,
) -> Result<(), Error> {
    if !notes.is_empty() {
        diesel::insert_into(thread_content_notes::table)
            .values((
                thread_content_notes::thread_id.eq(thread_id),
                thread_content_notes::notes.eq(notes.to_stored()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The notes of these posts, for those that have any.
pub fn for_posts(
    conn: &mut DbConnection,
    post_ids: &[i64],
) -> Result<HashMap<i64, ContentNotes>, Error> {
    if post_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = post_content_notes::table
        .filter(post_content_notes::post_id.eq_any(post_ids))
        .select((post_content_notes::post_id, post_content_notes::notes))
        .load(conn)?;
    read_map(rows)
}

/// The notes of these threads, for those that have any.
pub fn for_threads(
    conn: &mut DbConnection,
    thread_ids: &[i64],
) -> Result<HashMap<i64, ContentNotes>, Error> {
    if thread_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = thread_content_notes::table
        .filter(thread_content_notes::thread_id.eq_any(thread_ids))
        .select((thread_content_notes::thread_id, thread_content_notes::notes))
        .load(conn)?;
    read_map(rows)
}

// The two choice tables, `member_content_notes` and `community_content_notes`, differ
// only in whose choice they keep (the key column); these write one body for either.

/// The stored choice of `$table` keyed by `$id`, read back; `None` when never set.
macro_rules! read_choice {
    ($conn:expr, $table:ident, $id:expr) => {{
        let stored: Option<String> = $table::table
            .find($id)
            .select($table::collapse)
            .get_result($conn)
            .optional()?;
        stored.as_deref().map(ContentNotes::from_stored).transpose()
    }};
}

/// Saves `$collapse` as the choice of `$table` keyed by `$key` = `$id`.
macro_rules! save_choice {
    ($conn:expr, $table:ident, $key:ident, $id:expr, $collapse:expr, $now:expr) => {{
        let stored = $collapse.to_stored();
        update_else_insert(
            $conn,
            |conn| {
                diesel::update($table::table.find($id))
                    .set(($table::collapse.eq(&stored), $table::updated_at.eq($now)))
                    .execute(conn)
            },
            |conn| {
                diesel::insert_into($table::table)
                    .values((
                        $table::$key.eq($id),
                        $table::collapse.eq(&stored),
                        $table::updated_at.eq($now),
                    ))
                    .execute(conn)
            },
        )
    }};
}

/// The notes a member chose to fold away; `None` when they never chose.
pub fn member_choice(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Option<ContentNotes>, Error> {
    read_choice!(conn, member_content_notes, user_id)
}

/// A community's defaults for members who have not chosen (none when never set).
pub fn community_defaults(
    conn: &mut DbConnection,
    community_id: CommunityId,
) -> Result<ContentNotes, Error> {
    Ok(read_choice!(conn, community_content_notes, community_id)?.unwrap_or_default())
}

/// Records a member's choice, replacing any earlier one.
pub fn set_member_choice(
    conn: &mut DbConnection,
    user_id: UserId,
    collapse: &ContentNotes,
    now: i64,
) -> Result<(), Error> {
    save_choice!(conn, member_content_notes, user_id, user_id, collapse, now)
}

/// Records a community's defaults, replacing any earlier ones.
pub fn set_community_defaults(
    conn: &mut DbConnection,
    community_id: CommunityId,
    collapse: &ContentNotes,
    now: i64,
) -> Result<(), Error> {
    save_choice!(
        conn,
        community_content_notes,
        community_id,
        community_id,
        collapse,
        now
    )
}

/// Updates the one row a choice is kept in, or inserts it when there is none yet. The
/// insert runs in a savepoint, so that losing to a concurrent first choice leaves the
/// surrounding transaction usable: that row is then updated instead.
fn update_else_insert(
    conn: &mut DbConnection,
    update: impl Fn(&mut DbConnection) -> QueryResult<usize>,
    insert: impl FnOnce(&mut DbConnection) -> QueryResult<usize>,
) -> Result<(), Error> {
    if update(conn)? > 0 {
        return Ok(());
    }
    match conn.transaction(insert) {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            update(conn).map(|_| ()).map_err(Error::from)
        }
        Err(other) => Err(other.into()),
    }
}
