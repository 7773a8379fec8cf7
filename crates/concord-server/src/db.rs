//! The database: SQLite (one file, WAL, synchronous commits) or PostgreSQL, through one pool and
//! portable SQL. Every write commits before it is acknowledged.

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

use crate::audit::{entry_hash, Entry, GENESIS};

/// The migrations, in order (the files in `migrations/`).
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_rooms", include_str!("../migrations/0001_rooms.sql")),
    (
        "0002_versions",
        include_str!("../migrations/0002_versions.sql"),
    ),
];

/// A database URL from `--database`: a URL as written, or a file path for SQLite.
pub fn url_of(database: &str) -> String {
    if database.contains("://") {
        database.to_string()
    } else {
        format!("sqlite://{database}?mode=rwc")
    }
}

/// Opens the database and brings its tables up to date.
pub async fn open(database: &str) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let url = url_of(database);
    let sqlite = url.starts_with("sqlite:");
    // One connection first: a pool only says it timed out; a connection says why it failed.
    {
        use sqlx::Connection;
        sqlx::AnyConnection::connect(&url).await?.close().await?;
    }
    let pool = AnyPoolOptions::new()
        .max_connections(if sqlite { 4 } else { 16 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

async fn migrate(pool: &AnyPool) -> Result<(), sqlx::Error> {
    pool.execute(
        "CREATE TABLE IF NOT EXISTS concord_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .await?;
    for (name, sql) in MIGRATIONS {
        let mut tx = pool.begin().await?;
        let done: Option<AnyRow> =
            sqlx::query("SELECT name FROM concord_migrations WHERE name = $1")
                .bind(*name)
                .fetch_optional(&mut *tx)
                .await?;
        if done.is_none() {
            // Comment lines go first: a comment may hold a `;`.
            let sql: String = sql
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
                tx.execute(statement).await?;
            }
            sqlx::query("INSERT INTO concord_migrations (name, applied_at) VALUES ($1, $2)")
                .bind(*name)
                .bind(now())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Milliseconds since 1970-01-01 UTC.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Appends an entry to a room's audit chain within the caller's write; returns the new head.
/// Writes to a room run one at a time, so the chain grows one entry at a time; the primary key
/// refuses a fork anyway.
pub async fn append(
    conn: &mut sqlx::AnyConnection,
    room: &str,
    actor: &str,
    action: &str,
    detail: &str,
    commitment: &str,
) -> Result<String, sqlx::Error> {
    let last: Option<AnyRow> =
        sqlx::query("SELECT seq, hash FROM audit WHERE room_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(room)
            .fetch_optional(&mut *conn)
            .await?;
    let (seq, prev) = match last {
        Some(r) => (r.try_get::<i64, _>(0)? + 1, r.try_get::<String, _>(1)?),
        None => (1, GENESIS.to_string()),
    };
    let at = now();
    let hash = entry_hash(&prev, seq, at, actor, action, detail, commitment);
    sqlx::query(
        "INSERT INTO audit (room_id, seq, at, actor, action, detail, commitment, prev, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(room)
    .bind(seq)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(detail)
    .bind(commitment)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(hash)
}

/// Records in the room's leakage ledger what an answer reveals, to whom (`mediator`, or `room`
/// for everyone), and whose private inputs it depends on; returns the entry's number.
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    room: &str,
    revealed_to: &str,
    concerns: &[String],
    reveals: &str,
) -> Result<i64, sqlx::Error> {
    let seq: i64 = sqlx::query("SELECT COUNT(*) FROM ledger WHERE room_id = $1")
        .bind(room)
        .fetch_one(&mut *conn)
        .await?
        .try_get::<i64, _>(0)?
        + 1;
    sqlx::query("INSERT INTO ledger (room_id, seq, at, asked_by, concerns, reveals) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(room)
        .bind(seq)
        .bind(now())
        .bind(revealed_to)
        .bind(serde_json::to_string(concerns).unwrap_or_default())
        .bind(reveals)
        .execute(&mut *conn)
        .await?;
    Ok(seq)
}

/// The proposal a room agreed on, if any.
pub async fn agreement<'e, E>(conn: E, room: &str) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT agreement FROM rooms WHERE id = $1")
        .bind(room)
        .fetch_one(conn)
        .await?
        .try_get(0)
}

/// A room's whole audit chain.
pub async fn chain(pool: &AnyPool, room: &str) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, detail, commitment, prev, hash FROM audit WHERE room_id = $1 ORDER BY seq",
    )
    .bind(room)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                room: room.to_string(),
                seq: r.try_get(0)?,
                at: r.try_get(1)?,
                actor: r.try_get(2)?,
                action: r.try_get(3)?,
                detail: r.try_get(4)?,
                commitment: r.try_get(5)?,
                prev: r.try_get(6)?,
                hash: r.try_get(7)?,
            })
        })
        .collect()
}
