-- Versions of a room's public scenario (its framework document revised over time); version 1 is
-- the text the room was created from. Rooms created before this migration get theirs here.
CREATE TABLE versions (
    room_id TEXT NOT NULL REFERENCES rooms(id),
    version BIGINT NOT NULL,
    public_toml TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, version)
);
INSERT INTO versions (room_id, version, public_toml, note, created_at)
    SELECT id, 1, public_toml, 'as created', created_at FROM rooms;
