//! `member_countries`: the country whose crisis lines a member sees (issue 19).

use diesel::prelude::*;

use super::schema_countries::member_countries;
use super::DbConnection;
use crate::error::Error;

/// The member's chosen country code, if they chose one.
pub fn find(conn: &mut DbConnection, user_id: i64) -> Result<Option<String>, Error> {
    Ok(member_countries::table
        .find(user_id)
        .select(member_countries::country)
        .first(conn)
        .optional()?)
}

/// Sets the member's country, or forgets it (`None`: the deployment's default applies).
pub fn set(
    conn: &mut DbConnection,
    user_id: i64,
    country: Option<&str>,
    now: i64,
) -> Result<(), Error> {
    let Some(country) = country else {
        diesel::delete(member_countries::table.find(user_id)).execute(conn)?;
        return Ok(());
    };
    let updated = diesel::update(member_countries::table.find(user_id))
        .set((
            member_countries::country.eq(country),
            member_countries::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(member_countries::table)
            .values((
                member_countries::user_id.eq(user_id),
                member_countries::country.eq(country),
                member_countries::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
