//! What the server holds in memory: the database pool, each room's public scenario (read once),
//! a lock per room (its audit chain grows one entry at a time), and the rate limiter of
//! revealing questions.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use concord_api::{load, AnalysisReport, Loaded, ScenarioInput};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AnyPool, Row};
use subtle::ConstantTimeEq;

use crate::compose::{compose, parties_of, placeholder_tables, PartyInfo};
use crate::error::ApiError;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database: a SQLite file path, `sqlite://…` or `postgres://…`.
    pub database: String,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How many revealing questions (`POST …/queries`) a room may ask per window.
    pub queries_per_window: usize,
    /// The window of that limit.
    pub query_window: Duration,
}

impl Config {
    /// The defaults, on `database`.
    pub fn new(database: impl Into<String>) -> Self {
        Config {
            database: database.into(),
            body_limit: 1 << 20,
            queries_per_window: 30,
            query_window: Duration::from_secs(3600),
        }
    }
}

/// A room's public scenario, read once.
#[derive(Debug)]
pub struct PublicRoom {
    /// Its name.
    pub name: String,
    /// The public text.
    pub text: String,
    /// The parties.
    pub parties: Vec<PartyInfo>,
    /// The public scenario read with neutral placeholder preferences: for its issues, options,
    /// framework and proposals only; its preferences are nobody's and never shown.
    pub model: Loaded,
    /// A number no other reading of a public text has had: what is derived from this text
    /// (a delegation's own scenario) is kept under it.
    pub generation: u64,
    /// For each party, the neutral placeholder preferences of the other consenting parties (the
    /// tables [`crate::compose::compose`] appends): written once, not per check.
    pub others_placeholders: HashMap<String, String>,
}

impl PublicRoom {
    /// The neutral placeholder preferences of the consenting parties other than `party`, as
    /// [`crate::compose::compose_with`] appends them.
    pub fn others_tables(&self, party: &str) -> Result<String, ApiError> {
        if let Some(t) = self.others_placeholders.get(party) {
            return Ok(t.clone());
        }
        let doc: toml_edit::DocumentMut = self
            .text
            .parse()
            .map_err(|e| ApiError::internal(format!("stored public scenario: {e}")))?;
        let others: Vec<String> = self
            .consenting()
            .into_iter()
            .filter(|p| p != party)
            .collect();
        Ok(placeholder_tables(&doc, &others))
    }

    /// The parties whose consent an agreement needs.
    pub fn consenting(&self) -> Vec<String> {
        self.parties
            .iter()
            .filter(|p| p.consent)
            .map(|p| p.id.clone())
            .collect()
    }
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The room's mediator.
    Mediator,
    /// The delegation of a party.
    Delegation(String),
    /// An observer.
    Observer(String),
}

impl Role {
    /// `mediator`, `delegation` or `observer`.
    pub fn name(&self) -> &'static str {
        match self {
            Role::Mediator => "mediator",
            Role::Delegation(_) => "delegation",
            Role::Observer(_) => "observer",
        }
    }

    /// How the audit chain names the caller.
    pub fn actor(&self) -> String {
        match self {
            Role::Mediator => "mediator".into(),
            Role::Delegation(p) => format!("delegation:{p}"),
            Role::Observer(id) => format!("observer:{id}"),
        }
    }
}

pub(crate) struct Inner {
    pub pool: AnyPool,
    pub config: Config,
    rooms: Mutex<HashMap<String, Arc<PublicRoom>>>,
    /// Each delegation's own scenario (the public text, its preferences, neutral others), read
    /// once per submission (keyed by room, party and the submission's commitment).
    own: Mutex<HashMap<(String, String), OwnModel>>,
    /// Members by id, once read (a member never changes once invited).
    members: Mutex<HashMap<String, Arc<Member>>>,
    /// Each room's whole scenario (public text and every submission), read once per set of
    /// inputs, and the answers to the questions asked of it.
    analysed: Mutex<HashMap<String, Analysed>>,
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// SQLite's writes go to one writer task, which commits them in groups (one disk flush for
    /// many writes); PostgreSQL's run in a transaction each, under the room's lock.
    writer: Option<tokio::sync::mpsc::Sender<Job>>,
    asked: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// The analyst's files (`--open`, uploads), from which a mediator may open a room.
    pub workspace: Mutex<Option<Arc<crate::Workspace>>>,
}

/// A delegation's own scenario: the commitment of the submission and the generation of the
/// public text it was read with, and the scenario.
type OwnModel = (String, u64, Arc<Loaded>);

/// What a room's answers depend on, as stored: the generation of its public text, and for each
/// submission (by party) its commitment (salted: a revision is never the same twice) and
/// whether its red lines may be named.
pub type Inputs = (u64, Vec<(String, String, bool)>);

/// An answer: what it says and what the ledger records that it reveals.
pub type Answered = (serde_json::Value, String);

/// What is computed from a room's whole scenario for one set of inputs: the scenario read, its
/// analysis (`zone`, `propose` and `deadlock` read it), other answers by question.
struct Analysed {
    inputs: Inputs,
    loaded: Option<Arc<Loaded>>,
    report: Option<Arc<AnalysisReport>>,
    answers: HashMap<String, Answered>,
}

/// At most this many answers are kept per room and set of inputs.
const ANSWERS_KEPT: usize = 64;

/// The room's entry for `inputs`: a new one when the inputs changed.
fn analysed_for<'a>(
    analysed: &'a mut HashMap<String, Analysed>,
    room: &str,
    inputs: &Inputs,
) -> &'a mut Analysed {
    let entry = analysed
        .entry(room.to_string())
        .or_insert_with(|| Analysed {
            inputs: inputs.clone(),
            loaded: None,
            report: None,
            answers: HashMap::new(),
        });
    if entry.inputs != *inputs {
        *entry = Analysed {
            inputs: inputs.clone(),
            loaded: None,
            report: None,
            answers: HashMap::new(),
        };
    }
    entry
}

/// A member as stored.
#[derive(Debug)]
struct Member {
    room: String,
    secret_hash: String,
    role: String,
    party: Option<String>,
}

/// A boxed future.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Delivers a write's answer once its group has committed (or failed to).
type Finish = Box<dyn FnOnce(Result<(), ApiError>) + Send>;

/// One write for the SQLite writer: whether it succeeded, and how to answer.
type Job = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, (bool, Finish)> + Send>;

/// The SQLite writer: takes the writes queued (up to 256 at a time), runs each in a savepoint
/// of one transaction, commits once, then answers each. A write that failed is rolled back to
/// its savepoint and answered with its error; a failed commit is every write's error.
async fn group_commit(mut conn: AnyConnection, mut jobs: tokio::sync::mpsc::Receiver<Job>) {
    use sqlx::Executor;
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < 256 {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut finishers = Vec::with_capacity(batch.len());
        if let Err(e) = conn.execute("BEGIN IMMEDIATE").await {
            // The writes are dropped unrun: each caller gets an internal error.
            eprintln!("concord serve: cannot begin a transaction: {e}");
            continue;
        }
        for job in batch {
            if let Err(e) = conn.execute("SAVEPOINT job").await {
                eprintln!("concord serve: cannot open a savepoint: {e}");
                continue;
            }
            let (ok, finish) = job(&mut conn).await;
            let closed = if ok {
                conn.execute("RELEASE job").await.map(drop)
            } else {
                match conn.execute("ROLLBACK TO job").await {
                    Ok(_) => conn.execute("RELEASE job").await.map(drop),
                    Err(e) => Err(e),
                }
            };
            finishers.push((finish, closed.map_err(ApiError::from)));
        }
        let committed = conn
            .execute("COMMIT")
            .await
            .map(drop)
            .map_err(ApiError::from);
        if committed.is_err() {
            let _ = conn.execute("ROLLBACK").await;
        }
        for (finish, own) in finishers {
            finish(own.and(committed.clone()));
        }
    }
}

/// The server's state, shared by every request.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

/// SHA-256 of a token's secret, in hex: what the database stores.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A fresh random identifier of `bytes` bytes, in hex.
pub fn random_hex(bytes: usize) -> String {
    let mut out = Vec::with_capacity(bytes);
    while out.len() < bytes {
        out.extend_from_slice(&rand::random::<[u8; 16]>());
    }
    out.truncate(bytes);
    hex::encode(out)
}

impl AppState {
    /// Opens the database and builds the state.
    pub async fn open(config: Config) -> Result<AppState, sqlx::Error> {
        let pool = crate::db::open(&config.database).await?;
        let sqlite = crate::db::url_of(&config.database).starts_with("sqlite:");
        let writer = if sqlite {
            let conn = pool.acquire().await?.detach();
            let (send, receive) = tokio::sync::mpsc::channel(1024);
            tokio::spawn(group_commit(conn, receive));
            Some(send)
        } else {
            None
        };
        Ok(AppState(Arc::new(Inner {
            pool,
            config,
            rooms: Mutex::new(HashMap::new()),
            own: Mutex::new(HashMap::new()),
            members: Mutex::new(HashMap::new()),
            analysed: Mutex::new(HashMap::new()),
            locks: Mutex::new(HashMap::new()),
            writer,
            asked: Mutex::new(HashMap::new()),
            workspace: Mutex::new(None),
        })))
    }

    /// The pool.
    pub fn pool(&self) -> &AnyPool {
        &self.0.pool
    }

    /// The room's lock: writes to one room are serialised.
    async fn lock(&self, room: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.0.locks.lock().unwrap_or_else(|e| e.into_inner());
            locks.entry(room.to_string()).or_default().clone()
        };
        lock.lock_owned().await
    }

    /// Runs `f` as one atomic write to `room`, and answers once it is durable: its effects and
    /// audit entry committed together, or none of them. Writes to a room run one at a time, so
    /// `f` may read, check and write. On SQLite, `f` runs on the one writer connection inside a
    /// savepoint of a group commit; on PostgreSQL, in its own transaction.
    pub async fn write<T, F>(&self, room: &str, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, ApiError>>
            + Send
            + 'static,
    {
        match &self.0.writer {
            Some(writer) => {
                let (send, receive) = tokio::sync::oneshot::channel();
                let job: Job = Box::new(move |c: &mut AnyConnection| {
                    Box::pin(async move {
                        let result = f(c).await;
                        let ok = result.is_ok();
                        let finish: Finish = Box::new(move |commit: Result<(), ApiError>| {
                            let _ = send.send(commit.and(result));
                        });
                        (ok, finish)
                    }) as BoxFuture<'_, (bool, Finish)>
                });
                writer
                    .send(job)
                    .await
                    .map_err(|_| ApiError::internal("the database writer has stopped"))?;
                receive
                    .await
                    .map_err(|_| ApiError::internal("the database writer has stopped"))?
            }
            None => {
                let _guard = self.lock(room).await;
                let mut tx = self.pool().begin().await?;
                let out = f(&mut tx).await?;
                tx.commit().await?;
                Ok(out)
            }
        }
    }

    /// Checks the caller's token against the room: `Authorization: Bearer MEMBER.SECRET`.
    /// A missing token, an unknown one, and a token of another room are all 401, alike.
    pub async fn caller(&self, headers: &HeaderMap, room: &str) -> Result<Role, ApiError> {
        let token = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::unauthorized)?;
        let (member, secret) = token.split_once('.').ok_or_else(ApiError::unauthorized)?;
        let cached = self
            .0
            .members
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(member)
            .cloned();
        let found = match cached {
            Some(m) => Some(m),
            None => {
                let row = sqlx::query(
                    "SELECT room_id, secret_hash, role, party FROM members WHERE id = $1",
                )
                .bind(member)
                .fetch_optional(self.pool())
                .await?;
                match row {
                    Some(r) => {
                        let m = Arc::new(Member {
                            room: r.try_get(0)?,
                            secret_hash: r.try_get(1)?,
                            role: r.try_get(2)?,
                            party: r.try_get(3)?,
                        });
                        self.0
                            .members
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert(member.to_string(), m.clone());
                        Some(m)
                    }
                    None => None,
                }
            }
        };
        // Compare a hash even when the member is unknown, so that timing says nothing.
        let (stored_room, stored_hash, role, party) = match &found {
            Some(m) => (
                m.room.clone(),
                m.secret_hash.clone(),
                m.role.clone(),
                m.party.clone(),
            ),
            None => (String::new(), "0".repeat(64), String::new(), None),
        };
        let given = secret_hash(secret);
        let same: bool = given.as_bytes().ct_eq(stored_hash.as_bytes()).into();
        if found.is_none() || !same || stored_room != room {
            return Err(ApiError::unauthorized());
        }
        match (role.as_str(), party) {
            ("mediator", _) => Ok(Role::Mediator),
            ("delegation", Some(p)) => Ok(Role::Delegation(p)),
            ("observer", _) => Ok(Role::Observer(member.to_string())),
            _ => Err(ApiError::internal(format!(
                "member {member} has role {role}"
            ))),
        }
    }

    /// The room's public scenario.
    pub async fn room(&self, room: &str) -> Result<Arc<PublicRoom>, ApiError> {
        if let Some(r) = self
            .0
            .rooms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(room)
        {
            return Ok(r.clone());
        }
        let row = sqlx::query("SELECT name, public_toml FROM rooms WHERE id = $1")
            .bind(room)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| ApiError::not_found(format!("no room `{room}`")))?;
        let name: String = row.try_get(0)?;
        let text: String = row.try_get(1)?;
        let public = read_public(name, text).await?;
        let public = Arc::new(public);
        self.0
            .rooms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(room.to_string(), public.clone());
        Ok(public)
    }

    /// Forgets a room's public scenario (a new version replaced it), and the delegations'
    /// scenarios read with it.
    pub fn forget(&self, room: &str) {
        self.0
            .rooms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(room);
        self.0
            .own
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(r, _), _| r != room);
        self.0
            .analysed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(room);
    }

    /// The room's whole scenario, when read already for these inputs.
    pub fn room_model(&self, room: &str, inputs: &Inputs) -> Option<Arc<Loaded>> {
        let analysed = self.0.analysed.lock().unwrap_or_else(|e| e.into_inner());
        analysed
            .get(room)
            .filter(|a| a.inputs == *inputs)
            .and_then(|a| a.loaded.clone())
    }

    /// Keeps the room's whole scenario read for `inputs` (forgetting what was computed from
    /// other inputs).
    pub fn keep_room_model(&self, room: &str, inputs: &Inputs, loaded: Loaded) -> Arc<Loaded> {
        let loaded = Arc::new(loaded);
        let mut analysed = self.0.analysed.lock().unwrap_or_else(|e| e.into_inner());
        analysed_for(&mut analysed, room, inputs).loaded = Some(loaded.clone());
        loaded
    }

    /// The analysis of the room's whole scenario, when done already for these inputs.
    pub fn room_analysis(&self, room: &str, inputs: &Inputs) -> Option<Arc<AnalysisReport>> {
        let analysed = self.0.analysed.lock().unwrap_or_else(|e| e.into_inner());
        analysed
            .get(room)
            .filter(|a| a.inputs == *inputs)
            .and_then(|a| a.report.clone())
    }

    /// Keeps the analysis of the room's whole scenario for `inputs`.
    pub fn keep_room_analysis(
        &self,
        room: &str,
        inputs: &Inputs,
        report: AnalysisReport,
    ) -> Arc<AnalysisReport> {
        let report = Arc::new(report);
        let mut analysed = self.0.analysed.lock().unwrap_or_else(|e| e.into_inner());
        analysed_for(&mut analysed, room, inputs).report = Some(report.clone());
        report
    }

    /// The answer to `question` computed from these inputs, if it was. Only the computation is
    /// saved: the caller still counts the question against the limit and records it in the
    /// ledger and the audit chain.
    pub fn answer(&self, room: &str, inputs: &Inputs, question: &str) -> Option<Answered> {
        let analysed = self.0.analysed.lock().unwrap_or_else(|e| e.into_inner());
        analysed
            .get(room)
            .filter(|a| a.inputs == *inputs)
            .and_then(|a| a.answers.get(question).cloned())
    }

    /// Keeps the answer to `question` computed from `inputs`.
    pub fn keep_answer(&self, room: &str, inputs: &Inputs, question: &str, answer: &Answered) {
        let mut analysed = self.0.analysed.lock().unwrap_or_else(|e| e.into_inner());
        let entry = analysed_for(&mut analysed, room, inputs);
        if entry.answers.len() >= ANSWERS_KEPT {
            entry.answers.clear();
        }
        entry.answers.insert(question.to_string(), answer.clone());
    }

    /// A delegation's own scenario, when read already for this submission.
    pub fn own_model(
        &self,
        room: &str,
        party: &str,
        commitment: &str,
        generation: u64,
    ) -> Option<Arc<Loaded>> {
        let own = self.0.own.lock().unwrap_or_else(|e| e.into_inner());
        own.get(&(room.to_string(), party.to_string()))
            .filter(|(c, g, _)| c == commitment && *g == generation)
            .map(|(_, _, l)| l.clone())
    }

    /// Keeps a delegation's own scenario for its submission `commitment`.
    pub fn keep_own_model(
        &self,
        room: &str,
        party: &str,
        commitment: &str,
        generation: u64,
        loaded: Loaded,
    ) -> Arc<Loaded> {
        let loaded = Arc::new(loaded);
        self.0.own.lock().unwrap_or_else(|e| e.into_inner()).insert(
            (room.to_string(), party.to_string()),
            (commitment.to_string(), generation, loaded.clone()),
        );
        loaded
    }

    /// Counts a revealing question against the room's limit.
    pub fn ask(&self, room: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let window = self.0.config.query_window;
        let mut asked = self.0.asked.lock().unwrap_or_else(|e| e.into_inner());
        let q = asked.entry(room.to_string()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) > window) {
            q.pop_front();
        }
        if q.len() >= self.0.config.queries_per_window {
            return Err(ApiError::rate_limited(format!(
                "this room has asked {} revealing questions in the last {} s, the limit; each answer narrows what the delegations' private preferences can be (docs/server.md)",
                q.len(),
                window.as_secs()
            )));
        }
        q.push_back(now);
        Ok(())
    }
}

/// Reads a stored public text (off the async threads: a scenario can be large).
pub async fn read_public(name: String, text: String) -> Result<PublicRoom, ApiError> {
    tokio::task::spawn_blocking(move || {
        let doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e| ApiError::internal(format!("stored public scenario: {e}")))?;
        let parties = parties_of(&doc);
        let consenting: Vec<String> = parties
            .iter()
            .filter(|p| p.consent)
            .map(|p| p.id.clone())
            .collect();
        let composed = compose(&text, &[], &consenting)?;
        let others_placeholders = parties
            .iter()
            .map(|p| {
                let others: Vec<String> =
                    consenting.iter().filter(|o| **o != p.id).cloned().collect();
                (p.id.clone(), placeholder_tables(&doc, &others))
            })
            .collect();
        let model = load(&ScenarioInput::toml("public scenario", composed), false)
            .map_err(|e| ApiError::internal(format!("stored public scenario: {e}")))?;
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(PublicRoom {
            name,
            text,
            parties,
            model,
            others_placeholders,
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    })
    .await
    .map_err(|e| ApiError::internal(format!("reading a public scenario: {e}")))?
}
