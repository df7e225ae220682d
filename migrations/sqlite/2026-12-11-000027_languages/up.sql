-- A translated interface (issue 21): the language a member reads Kindred in (NULL: their
-- browser's Accept-Language, else the deployment's `KINDRED_DEFAULT_LANGUAGE`), and the
-- language a community talks in, which the directory filters by. Codes are the
-- interface's languages (`kindred_web::i18n::Lang`: "en", "es"), checked by the server.
ALTER TABLE users ADD COLUMN language TEXT NULL;
ALTER TABLE communities ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
