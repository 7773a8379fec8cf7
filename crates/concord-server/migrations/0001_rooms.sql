-- Rooms, members, private inputs, the leakage ledger and the audit chain. Portable SQL: the same
-- file runs on SQLite and PostgreSQL (TEXT and BIGINT only; booleans are 0/1).
CREATE TABLE rooms (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    public_toml TEXT NOT NULL,
    agreement TEXT,
    created_at BIGINT NOT NULL
);
CREATE TABLE members (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms(id),
    secret_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    party TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX members_one_delegation_per_party ON members (room_id, party);
CREATE TABLE preferences (
    room_id TEXT NOT NULL REFERENCES rooms(id),
    party TEXT NOT NULL,
    body TEXT NOT NULL,
    salt TEXT NOT NULL,
    commitment TEXT NOT NULL,
    revision BIGINT NOT NULL,
    reveal_red_lines BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, party)
);
CREATE TABLE proposals (
    room_id TEXT NOT NULL REFERENCES rooms(id),
    id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    label TEXT NOT NULL,
    package TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, id)
);
CREATE TABLE responses (
    room_id TEXT NOT NULL REFERENCES rooms(id),
    proposal_id TEXT NOT NULL,
    party TEXT NOT NULL,
    response TEXT NOT NULL,
    over TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, proposal_id, party)
);
CREATE TABLE stances (
    room_id TEXT NOT NULL REFERENCES rooms(id),
    point BIGINT NOT NULL,
    party TEXT NOT NULL,
    stance TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, point, party)
);
CREATE TABLE ledger (
    room_id TEXT NOT NULL REFERENCES rooms(id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    asked_by TEXT NOT NULL,
    concerns TEXT NOT NULL,
    reveals TEXT NOT NULL,
    PRIMARY KEY (room_id, seq)
);
CREATE TABLE audit (
    room_id TEXT NOT NULL REFERENCES rooms(id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    commitment TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (room_id, seq)
);
