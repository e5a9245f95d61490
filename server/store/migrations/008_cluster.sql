-- More than one server on one database: each streams what the others committed, read by seq
-- range from the change log (its primary key) and from the tracks, by this index.
CREATE INDEX positions_seq ON positions (seq);
