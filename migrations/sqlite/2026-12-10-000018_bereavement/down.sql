DROP TABLE appeals;
DROP TABLE context_notes;
DROP TABLE clinicians;
DROP TABLE memorials;
