//! Typed ids as SQL values: each is a `BIGINT` on both backends, read and written as the
//! `i64` inside, so rows and queries carry `PostId` and friends instead of bare integers.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::BigInt;
use diesel::sqlite::Sqlite;

use super::MultiBackend;
use crate::domain::ids::{
    CommunityId, ConversationId, MessageId, PostId, SessionId, ThreadId, UserId,
};

macro_rules! sql_id {
    ($($name:ident),*) => {$(
        impl ToSql<BigInt, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, out)
            }
        }

        impl ToSql<BigInt, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <i64 as ToSql<BigInt, Sqlite>>::to_sql(&self.0, out)
            }
        }

        impl ToSql<BigInt, MultiBackend> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut Output<'b, '_, MultiBackend>,
            ) -> serialize::Result {
                out.set_value((BigInt, self));
                Ok(IsNull::No)
            }
        }

        impl FromSql<BigInt, Pg> for $name {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map($name)
            }
        }

        impl FromSql<BigInt, Sqlite> for $name {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Sqlite>>::from_sql(bytes).map($name)
            }
        }

        impl FromSql<BigInt, MultiBackend> for $name {
            fn from_sql(
                bytes: <MultiBackend as Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                bytes.from_sql::<$name, BigInt>()
            }
        }
    )*};
}

// Every id declared in `domain::ids`.
sql_id!(
    UserId,
    CommunityId,
    ThreadId,
    PostId,
    SessionId,
    ConversationId,
    MessageId
);
