DROP TABLE partner_grants;
