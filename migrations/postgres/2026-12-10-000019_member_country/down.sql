DROP TABLE member_countries;
