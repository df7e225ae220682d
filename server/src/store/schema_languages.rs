//! Diesel view of the language column that migration `000027_languages` adds to `users`,
//! kept apart from `schema.rs` (it names only the key and the column).

diesel::table! {
    #[sql_name = "users"]
    user_languages (id) {
        id -> BigInt,
        language -> Nullable<Text>,
    }
}
