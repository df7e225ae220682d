DROP TABLE read_positions;
