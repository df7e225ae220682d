//! The interface language a member chose (issue 21; a column of `users`).

use diesel::prelude::*;

use super::schema_languages::user_languages;
use super::DbConnection;
use crate::error::Error;

/// The member's chosen language code, if they chose one.
pub fn of_user(conn: &mut DbConnection, user_id: i64) -> Result<Option<String>, Error> {
    Ok(user_languages::table
        .find(user_id)
        .select(user_languages::language)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Sets the member's language, or forgets it (`None`: their browser's choice applies).
pub fn set_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    language: Option<&str>,
) -> Result<(), Error> {
    diesel::update(user_languages::table.find(user_id))
        .set(user_languages::language.eq(language))
        .execute(conn)?;
    Ok(())
}
