DROP TABLE care_prompts;
DROP TABLE wellbeing_items;
