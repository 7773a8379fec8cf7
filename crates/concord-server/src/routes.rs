//! The HTTP API. Each handler checks the caller's role, then reads or writes; every answer that
//! depends on private inputs goes through the application layer and into the leakage ledger.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use concord_api::{
    improve, load, package_values, AnalyzeRequest, Control, Draft, ImproveRequest, NamedPackage,
    Report, ScenarioInput,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use utoipa::ToSchema;

use crate::audit::{commit, Entry};
use crate::compose::{check_private_with, compose, compose_with, public_part, Private};
use crate::db::{append, chain, now};
use crate::error::{ApiError, FieldProblem};
use crate::state::{random_hex, secret_hash, Answered, AppState, Inputs, PublicRoom, Role};
use concord_api::AnalysisReport;

/// A JSON body whose rejections are API errors (400 with the problem, 413 when too large).
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(e) => {
                let status = e.status();
                let mut err = ApiError::bad_request_problems(
                    format!("request body: {}", e.body_text()),
                    vec![FieldProblem::field(
                        String::new(),
                        e.body_text(),
                        "a JSON body as the API document describes (/openapi.json)",
                    )],
                );
                if status == StatusCode::PAYLOAD_TOO_LARGE {
                    err.status = status;
                    err.kind = "too_large";
                }
                Err(err)
            }
        }
    }
}

type Answer<T> = Result<Json<T>, ApiError>;

/// How a delegation's own scenario is named (the public text, its preferences, the others
/// neutral).
const OWN_SCENARIO: &str = "own scenario";

fn require(role: &Role, allowed: &[&str], what: &str) -> Result<(), ApiError> {
    let name = role.name();
    if allowed.contains(&name) {
        Ok(())
    } else {
        let article = if name == "observer" { "an" } else { "a" };
        Err(ApiError::forbidden(format!(
            "{what} is for the {}, not {article} {name}",
            allowed.join(" or the ")
        )))
    }
}

fn delegation(role: &Role, what: &str) -> Result<String, ApiError> {
    match role {
        Role::Delegation(p) => Ok(p.clone()),
        _ => Err(require(role, &["delegation"], what).unwrap_err()),
    }
}

/// Runs a computation on the blocking pool; a panic in it is an internal error.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("a computation failed: {e}")))?
}

// ---------------------------------------------------------------------------------------------
// Rooms and members

/// A new room.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRoom {
    /// A name for people.
    #[serde(default)]
    pub name: Option<String>,
    /// A scenario file's text (TOML, docs/scenario-format.md). Its public tables are kept;
    /// `[preferences]` and `[[red_lines]]` are set aside unread.
    #[serde(default)]
    pub scenario: Option<String>,
    /// Instead of `scenario`: the id of a scenario open in the analyst views
    /// (`GET /analyst/scenarios`), whose public part is taken the same way.
    #[serde(default)]
    pub analyst_scenario: Option<String>,
}

/// What was set aside from an upload.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dropped {
    /// The parties whose preferences the upload held.
    pub preferences: Vec<String>,
    /// How many red lines it held.
    pub red_lines: usize,
}

/// A room created.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomCreated {
    /// The room's id.
    pub room: String,
    /// The mediator's secret token (shown once; stored hashed).
    pub mediator_token: String,
    /// The private tables set aside from the upload, unread.
    pub dropped: Dropped,
    /// The audit chain's head.
    pub audit_head: String,
}

/// Creates a room from a scenario's public part; the caller becomes its mediator.
#[utoipa::path(post, path = "/rooms", request_body = CreateRoom,
    responses((status = 201, body = RoomCreated), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_room(
    State(state): State<AppState>,
    Body(req): Body<CreateRoom>,
) -> Result<(StatusCode, Json<RoomCreated>), ApiError> {
    let scenario = match (req.scenario, req.analyst_scenario) {
        (Some(text), None) => text,
        (None, Some(id)) => {
            let workspace = state
                .0
                .workspace
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            match workspace.and_then(|w| w.text_of(&id)) {
                Some((_, text)) => text,
                None => {
                    return Err(ApiError::bad_request_problems(
                        format!("no scenario `{id}` is open in the analyst views here"),
                        vec![FieldProblem::field(
                            "analyst_scenario".into(),
                            id,
                            "the id of a scenario GET /analyst/scenarios lists",
                        )],
                    ))
                }
            }
        }
        (scenario, _) => {
            let found = if scenario.is_some() {
                "both"
            } else {
                "neither"
            };
            return Err(ApiError::bad_request_problems(
                format!("give `scenario` or `analyst_scenario`, not {found}"),
                vec![FieldProblem::field(
                    "scenario".into(),
                    found,
                    "exactly one of `scenario` (a file's text) and `analyst_scenario` (an id)",
                )],
            ));
        }
    };
    let public = blocking(move || public_part(&scenario)).await?;
    let room = random_hex(8);
    let member = random_hex(8);
    let secret = random_hex(32);
    let name = req.name.unwrap_or_default();
    // Check the public text reads back before anything is stored.
    let read = crate::state::read_public(name.clone(), public.text.clone()).await?;
    let detail = format!(
        "room created from scenario `{}`; set aside unread: preferences of {} parties, {} red lines",
        read.model.scenario.id,
        public.dropped_preferences.len(),
        public.dropped_red_lines
    );
    let audit_head = state
        .write(&room, {
        let room = room.clone();
        let name = name.clone();
        let member = member.clone();
        let text = public.text.clone();
        let hash = secret_hash(&secret);
            move |c| {
                Box::pin(async move {
            sqlx::query("INSERT INTO rooms (id, name, public_toml, agreement, created_at) VALUES ($1, $2, $3, NULL, $4)")
                .bind(&room)
                .bind(&name)
                .bind(&text)
                .bind(now())
                .execute(&mut *c)
                .await?;
            sqlx::query("INSERT INTO members (id, room_id, secret_hash, role, party, created_at) VALUES ($1, $2, $3, 'mediator', NULL, $4)")
                .bind(&member)
                .bind(&room)
                .bind(&hash)
                .bind(now())
                .execute(&mut *c)
                .await?;
            sqlx::query("INSERT INTO versions (room_id, version, public_toml, note, created_at) VALUES ($1, 1, $2, 'as created', $3)")
                .bind(&room)
                .bind(&text)
                .bind(now())
                .execute(&mut *c)
                .await?;
            let audit_head = append(c, &room, "mediator", "room.create", &detail, "").await?;
            Ok(audit_head)
                })
            }
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(RoomCreated {
            room,
            mediator_token: format!("{member}.{secret}"),
            dropped: Dropped {
                preferences: public.dropped_preferences,
                red_lines: public.dropped_red_lines,
            },
            audit_head,
        }),
    ))
}

/// A party as the room shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its role in the scenario.
    pub role: String,
    /// Whether an agreement needs its consent.
    pub consent: bool,
    /// Whether a delegation was invited for it.
    pub delegation: bool,
    /// Whether its delegation has submitted preferences (not what they are).
    pub submitted: bool,
}

/// An issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its options' ids.
    pub options: Vec<String>,
}

/// A room as every member sees it: only public facts.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomView {
    /// The room's id.
    pub room: String,
    /// Its name.
    pub name: String,
    /// The scenario's id.
    pub scenario: String,
    /// The scenario's title.
    pub title: String,
    /// The caller's role: `mediator`, `delegation` or `observer`.
    pub you: String,
    /// The caller's party, for a delegation.
    pub your_party: Option<String>,
    /// The parties.
    pub parties: Vec<PartyView>,
    /// The issues.
    pub issues: Vec<IssueView>,
    /// The proposal every delegation whose consent is needed accepted, once one has.
    pub agreement: Option<String>,
    /// The audit chain's head (note it to detect later tampering).
    pub audit_head: String,
}

/// The room's public state.
#[utoipa::path(get, path = "/rooms/{room}", params(("room" = String, Path)),
    responses((status = 200, body = RoomView), (status = 401, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_room(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Answer<RoomView> {
    let role = state.caller(&headers, &room).await?;
    let public = state.room(&room).await?;
    // One query (one snapshot, one trip to the database): the parties with a delegation, those
    // that submitted, the agreement, the audit chain's head.
    let rows = sqlx::query(
        "SELECT 'delegation', party FROM members WHERE room_id = $1 AND role = 'delegation' \
         UNION ALL SELECT 'submitted', party FROM preferences WHERE room_id = $1 \
         UNION ALL SELECT 'agreement', agreement FROM rooms WHERE id = $1 \
         UNION ALL SELECT 'head', hash FROM (SELECT hash FROM audit WHERE room_id = $1 ORDER BY seq DESC LIMIT 1) last_entry",
    )
    .bind(&room)
    .fetch_all(state.pool())
    .await?;
    let (mut delegations, mut submitted) = (Vec::new(), Vec::new());
    let (mut agreement, mut audit_head) = (None, crate::audit::GENESIS.to_string());
    for r in rows {
        let what: String = r.try_get(0)?;
        let value: Option<String> = r.try_get(1)?;
        match (what.as_str(), value) {
            ("delegation", Some(p)) => delegations.push(p),
            ("submitted", Some(p)) => submitted.push(p),
            ("agreement", a) => agreement = a,
            ("head", Some(h)) => audit_head = h,
            _ => {}
        }
    }
    let scenario = &public.model.scenario;
    Ok(Json(RoomView {
        room: room.clone(),
        name: public.name.clone(),
        scenario: scenario.id.clone(),
        title: scenario.title.clone(),
        you: role.name().into(),
        your_party: match &role {
            Role::Delegation(p) => Some(p.clone()),
            _ => None,
        },
        parties: public
            .parties
            .iter()
            .map(|p| PartyView {
                id: p.id.clone(),
                name: p.name.clone(),
                role: p.role.clone(),
                consent: p.consent,
                delegation: delegations.contains(&p.id),
                submitted: submitted.contains(&p.id),
            })
            .collect(),
        issues: scenario
            .issues
            .iter()
            .map(|i| IssueView {
                id: i.id.clone(),
                name: i.name.clone(),
                options: i.options.iter().map(|o| o.id.clone()).collect(),
            })
            .collect(),
        agreement,
        audit_head,
    }))
}

/// An invitation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Invite {
    /// `delegation` or `observer`.
    pub role: String,
    /// The party, for a delegation.
    #[serde(default)]
    pub party: Option<String>,
}

/// A member invited.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invited {
    /// `delegation` or `observer`.
    pub role: String,
    /// The party, for a delegation.
    pub party: Option<String>,
    /// The member's secret token (shown once; stored hashed). Hand it to the member only.
    pub token: String,
}

/// Invites a delegation (one per party) or an observer (mediator only).
#[utoipa::path(post, path = "/rooms/{room}/invitations", params(("room" = String, Path)),
    request_body = Invite,
    responses((status = 201, body = Invited), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn invite(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
    Body(req): Body<Invite>,
) -> Result<(StatusCode, Json<Invited>), ApiError> {
    let role = state.caller(&headers, &room).await?;
    require(&role, &["mediator"], "inviting")?;
    let public = state.room(&room).await?;
    let party = match (req.role.as_str(), &req.party) {
        ("delegation", Some(p)) => {
            if !public.parties.iter().any(|x| &x.id == p) {
                let known: Vec<&str> = public.parties.iter().map(|x| x.id.as_str()).collect();
                return Err(ApiError::bad_request_problems(
                    format!("request field `party`: unknown party `{p}`"),
                    vec![FieldProblem::field(
                        "party".into(),
                        p.clone(),
                        format!("one of {}", known.join(", ")),
                    )],
                ));
            }
            Some(p.clone())
        }
        ("delegation", None) => {
            return Err(ApiError::bad_request_problems(
                "a delegation is invited for a party",
                vec![FieldProblem::field("party".into(), "nothing", "a party id")],
            ))
        }
        ("observer", None) => None,
        ("observer", Some(_)) => {
            return Err(ApiError::bad_request_problems(
                "an observer speaks for no party",
                vec![FieldProblem::field("party".into(), "a party", "no `party`")],
            ))
        }
        (other, _) => {
            return Err(ApiError::bad_request_problems(
                format!("request field `role`: `{other}` is not a role one can invite"),
                vec![FieldProblem::field(
                    "role".into(),
                    other,
                    "`delegation` or `observer`",
                )],
            ))
        }
    };
    let member = random_hex(8);
    let secret = random_hex(32);
    let () = state
        .write(&room, {
        let room = room.clone();
        let party = party.clone();
        let member = member.clone();
        let hash = secret_hash(&secret);
        let role_name = req.role.clone();
            move |c| {
                Box::pin(async move {
            if let Some(p) = &party {
                let taken = sqlx::query("SELECT id FROM members WHERE room_id = $1 AND party = $2")
                    .bind(&room)
                    .bind(p)
                    .fetch_optional(&mut *c)
                    .await?;
                if taken.is_some() {
                    return Err(ApiError::conflict(format!(
                        "party `{p}` already has a delegation in this room"
                    )));
                }
            }
            sqlx::query("INSERT INTO members (id, room_id, secret_hash, role, party, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&member)
                .bind(&room)
                .bind(&hash)
                .bind(&role_name)
                .bind(party.clone())
                .bind(now())
                .execute(&mut *c)
                .await?;
            let detail = match &party {
                Some(p) => format!("delegation of `{p}` invited"),
                None => format!("observer {member} invited"),
            };
            append(c, &room, "mediator", "member.invite", &detail, "").await?;
            Ok(())
                })
            }
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Invited {
            role: req.role,
            party,
            token: format!("{member}.{secret}"),
        }),
    ))
}

// ---------------------------------------------------------------------------------------------
// Private preferences

/// A delegation's preferences saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesSaved {
    /// The party.
    pub party: String,
    /// 1 for the first submission, then 2, 3, …
    pub revision: i64,
    /// The commitment written to the audit chain: SHA-256 of `salt` (hex-decoded) and the
    /// submission as stored.
    pub commitment: String,
    /// The salt (keep it to open the commitment).
    pub salt: String,
    /// The audit chain's head.
    pub audit_head: String,
}

/// A delegation's own preferences.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnPreferences {
    /// The party.
    pub party: String,
    /// The revision.
    pub revision: i64,
    /// The submission as stored.
    pub preferences: Value,
    /// Whether the delegation consents to have its red lines named when a deadlock is
    /// explained.
    pub reveal_red_lines: bool,
    /// The commitment in the audit chain.
    pub commitment: String,
    /// Its salt.
    pub salt: String,
}

/// Submits or revises the caller's private preferences (delegation only): `reservation`,
/// `issues` (issue id → `{weight, values}` or `{weight, points}`) and `red_lines` (each as in a
/// scenario file, without `party`). Checked as a scenario file is; problems name request fields.
#[utoipa::path(put, path = "/rooms/{room}/preferences", params(("room" = String, Path)),
    request_body(content = Object, description = "docs/server.md: the preferences of one party"),
    responses((status = 200, body = PreferencesSaved), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn put_preferences(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
    Body(body): Body<Value>,
) -> Answer<PreferencesSaved> {
    let role = state.caller(&headers, &room).await?;
    let party = delegation(&role, "submitting preferences")?;
    let public = state.room(&room).await?;
    let submission = Private {
        party: party.clone(),
        body: body.clone(),
    };
    let checked_with = public.clone();
    let mut loaded = blocking(move || {
        let tables = checked_with.others_tables(&submission.party)?;
        let loaded = check_private_with(&checked_with.text, &submission, &tables)?;
        // The reader checks each table; a party's red lines that leave it nothing are found by
        // the analysis, with everyone else's preferences neutral.
        let request = AnalyzeRequest {
            settings: concord_api::Settings {
                count_limit: 0,
                ..Default::default()
            },
            ..Default::default()
        };
        concord_api::analyze_loaded(&loaded, &request, &Control::default())
            .map_err(ApiError::from_api_plain)?;
        Ok(loaded)
    })
    .await?;
    let stored = serde_json::to_string(&body).map_err(|e| ApiError::internal(e.to_string()))?;
    let salt = random_hex(16);
    let commitment = commit(salt.as_bytes(), stored.as_bytes());
    let (revision, audit_head) = state
        .write(&room, {
        let room = room.clone();
        let party = party.clone();
        let stored = stored.clone();
        let salt = salt.clone();
        let commitment = commitment.clone();
        let actor = role.actor();
            move |c| {
                Box::pin(async move {
            let revision: i64 =
                sqlx::query("SELECT revision FROM preferences WHERE room_id = $1 AND party = $2")
                    .bind(&room)
                    .bind(&party)
                    .fetch_optional(&mut *c)
                    .await?
                    .map(|r| r.try_get::<i64, _>(0))
                    .transpose()?
                    .unwrap_or(0)
                    + 1;
            sqlx::query(
                "INSERT INTO preferences (room_id, party, body, salt, commitment, revision, reveal_red_lines, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) \
                 ON CONFLICT (room_id, party) DO UPDATE SET body = excluded.body, salt = excluded.salt, commitment = excluded.commitment, revision = excluded.revision, updated_at = excluded.updated_at",
            )
            .bind(&room)
            .bind(&party)
            .bind(&stored)
            .bind(&salt)
            .bind(&commitment)
            .bind(revision)
            .bind(now())
            .execute(&mut *c)
            .await?;
            let audit_head = append(
                c,
                &room,
                &actor,
                "preferences.submit",
                &format!("preferences of `{party}`, revision {revision}"),
                &commitment,
            )
            .await?;
            Ok((revision, audit_head))
                })
            }
        })
        .await?;
    // The scenario just checked is the delegation's own scenario for this submission (the
    // public text, these preferences, the others neutral): its reads of the proposals score
    // them with it rather than read it again.
    loaded.name = OWN_SCENARIO.into();
    state.keep_own_model(&room, &party, &commitment, public.generation, loaded);
    Ok(Json(PreferencesSaved {
        party,
        revision,
        commitment,
        salt,
        audit_head,
    }))
}

/// Reads back the caller's own preferences (delegation only).
#[utoipa::path(get, path = "/rooms/{room}/preferences", params(("room" = String, Path)),
    responses((status = 200, body = OwnPreferences), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_preferences(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Answer<OwnPreferences> {
    let role = state.caller(&headers, &room).await?;
    let party = delegation(&role, "reading preferences")?;
    let row = sqlx::query("SELECT body, revision, reveal_red_lines, commitment, salt FROM preferences WHERE room_id = $1 AND party = $2")
        .bind(&room)
        .bind(&party)
        .fetch_optional(state.pool())
        .await?
        .ok_or_else(|| ApiError::not_found("you have not submitted preferences yet"))?;
    let body: String = row.try_get(0)?;
    Ok(Json(OwnPreferences {
        party,
        revision: row.try_get(1)?,
        preferences: serde_json::from_str(&body)
            .map_err(|e| ApiError::internal(format!("stored preferences: {e}")))?,
        reveal_red_lines: row.try_get::<i64, _>(2)? != 0,
        commitment: row.try_get(3)?,
        salt: row.try_get(4)?,
    }))
}

/// A delegation's consent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Whether its red lines may be named when the server explains a deadlock.
    pub reveal_red_lines: bool,
}

/// Consent recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentSaved {
    /// As asked.
    pub reveal_red_lines: bool,
    /// The audit chain's head.
    pub audit_head: String,
}

/// Gives or withdraws consent to have the caller's red lines named in a deadlock's explanation
/// (delegation only).
#[utoipa::path(put, path = "/rooms/{room}/consent", params(("room" = String, Path)),
    request_body = Consent,
    responses((status = 200, body = ConsentSaved), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn put_consent(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
    Body(req): Body<Consent>,
) -> Answer<ConsentSaved> {
    let role = state.caller(&headers, &room).await?;
    let party = delegation(&role, "consenting")?;
    let audit_head = state
        .write(&room, {
            let room = room.clone();
            let party = party.clone();
            let actor = role.actor();
            let reveal = req.reveal_red_lines;
            move |c| {
                Box::pin(async move {
                    let updated = sqlx::query(
                "UPDATE preferences SET reveal_red_lines = $1 WHERE room_id = $2 AND party = $3",
            )
            .bind(i64::from(reveal))
            .bind(&room)
            .bind(&party)
            .execute(&mut *c)
            .await?;
                    if updated.rows_affected() == 0 {
                        return Err(ApiError::conflict(
                            "submit preferences before consenting to reveal red lines",
                        ));
                    }
                    let audit_head = append(
                        c,
                        &room,
                        &actor,
                        "consent.red_lines",
                        &format!(
                            "`{party}` {} naming its red lines",
                            if reveal { "allows" } else { "refuses" }
                        ),
                        "",
                    )
                    .await?;
                    Ok(audit_head)
                })
            }
        })
        .await?;
    Ok(Json(ConsentSaved {
        reveal_red_lines: req.reveal_red_lines,
        audit_head,
    }))
}

// ---------------------------------------------------------------------------------------------
// What the room may learn

/// A question to the server about all private inputs (mediator only).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Query {
    /// `zone` (does an agreement zone exist), `propose` (a package by a bargaining concept),
    /// `improve` (a package better for every delegation than a tabled proposal), `deadlock`
    /// (how many red lines and reservation values must give way), `compare` (is proposal `to`
    /// better for every delegation than `from`, from their preferences), `preferred` (has every
    /// delegation stated it prefers `to` to `from`).
    pub kind: String,
    /// For `propose`: `nash` (default), `kalai-smorodinsky`, `egalitarian` (the maximin-gain
    /// package) or `utilitarian`.
    #[serde(default)]
    pub concept: Option<String>,
    /// For `improve`: the proposal to improve on.
    #[serde(default)]
    pub proposal: Option<String>,
    /// For `compare` and `preferred`.
    #[serde(default)]
    pub from: Option<String>,
    /// For `compare` and `preferred`.
    #[serde(default)]
    pub to: Option<String>,
}

/// An answer, and what it reveals.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryAnswer {
    /// The question's kind.
    pub kind: String,
    /// The answer (its fields depend on the kind; docs/server.md).
    pub answer: Value,
    /// What it reveals about the delegations' private inputs, as written in the ledger.
    pub reveals: String,
    /// The ledger entry's number.
    pub ledger_entry: i64,
    /// The audit chain's head.
    pub audit_head: String,
}

/// The room's submissions as stored: by party, the text, the commitment, whether its red lines
/// may be named.
struct Submissions {
    rows: Vec<(String, String, String, bool)>,
}

impl Submissions {
    fn parties(&self) -> impl Iterator<Item = &String> {
        self.rows.iter().map(|(p, ..)| p)
    }

    /// Whose red lines may be named.
    fn reveal(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.3)
            .map(|(p, ..)| p.clone())
            .collect()
    }

    /// What an answer from these submissions depends on.
    fn inputs(&self, generation: u64) -> Inputs {
        (
            generation,
            self.rows
                .iter()
                .map(|(p, _, c, r)| (p.clone(), c.clone(), *r))
                .collect(),
        )
    }

    fn private(&self) -> Result<Vec<Private>, ApiError> {
        self.rows
            .iter()
            .map(|(party, body, ..)| {
                Ok(Private {
                    party: party.clone(),
                    body: serde_json::from_str(body)
                        .map_err(|e| ApiError::internal(format!("stored preferences: {e}")))?,
                })
            })
            .collect()
    }
}

async fn submissions(state: &AppState, room: &str) -> Result<Submissions, ApiError> {
    let rows = sqlx::query(
        "SELECT party, body, commitment, reveal_red_lines FROM preferences WHERE room_id = $1 ORDER BY party",
    )
    .bind(room)
    .fetch_all(state.pool())
    .await?;
    let rows = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get::<i64, _>(3)? != 0,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Submissions { rows })
}

async fn proposal_package(
    state: &AppState,
    room: &str,
    id: &str,
    field: &str,
) -> Result<NamedPackage, ApiError> {
    let row = sqlx::query("SELECT package FROM proposals WHERE room_id = $1 AND id = $2")
        .bind(room)
        .bind(id)
        .fetch_optional(state.pool())
        .await?
        .ok_or_else(|| {
            ApiError::bad_request_problems(
                format!("request field `{field}`: no proposal `{id}` in this room"),
                vec![FieldProblem::field(
                    field.into(),
                    id,
                    "the id of a tabled proposal",
                )],
            )
        })?;
    let text: String = row.try_get(0)?;
    let map: BTreeMap<String, String> = serde_json::from_str(&text)
        .map_err(|e| ApiError::internal(format!("stored package: {e}")))?;
    Ok(map.into_iter().collect())
}

fn missing_field(field: &str, what: &str) -> ApiError {
    ApiError::bad_request_problems(
        format!("request field `{field}` is needed: {what}"),
        vec![FieldProblem::field(field.into(), "nothing", what)],
    )
}

fn package_json(p: &NamedPackage) -> Value {
    Value::Object(
        p.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

fn words(p: &NamedPackage) -> String {
    p.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The room's whole scenario (the public text and every submission), read once per set of
/// inputs.
async fn room_model(
    state: &AppState,
    room: &str,
    public: &PublicRoom,
    subs: &Submissions,
    inputs: &Inputs,
) -> Result<std::sync::Arc<concord_api::Loaded>, ApiError> {
    if let Some(loaded) = state.room_model(room, inputs) {
        return Ok(loaded);
    }
    let private = subs.private()?;
    let text = public.text.clone();
    let loaded = blocking(move || {
        let text = compose_with(&text, &private, "")?;
        load(&ScenarioInput::toml("room scenario", text), false).map_err(ApiError::from_api_plain)
    })
    .await?;
    Ok(state.keep_room_model(room, inputs, loaded))
}

/// Asks what all private inputs say, through the application layer (mediator only;
/// rate-limited per room; every answer is written to the leakage ledger).
#[utoipa::path(post, path = "/rooms/{room}/queries", params(("room" = String, Path)),
    request_body = Query,
    responses((status = 200, body = QueryAnswer), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn post_query(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
    Body(q): Body<Query>,
) -> Answer<QueryAnswer> {
    let role = state.caller(&headers, &room).await?;
    require(&role, &["mediator"], "asking the server")?;
    let public = state.room(&room).await?;
    let subs = submissions(&state, &room).await?;
    let consenting = public.consenting();
    let waiting = consenting
        .iter()
        .filter(|p| !subs.parties().any(|s| s == *p))
        .count();
    if waiting > 0 {
        return Err(ApiError::conflict(format!(
            "the room waits for the preferences of {waiting} of the {} delegations whose consent is needed",
            consenting.len()
        )));
    }
    // Validate the question before counting it against the limit.
    let kind = q.kind.clone();
    let (from, to) = match kind.as_str() {
        "compare" | "preferred" => {
            let from = q
                .from
                .clone()
                .ok_or_else(|| missing_field("from", "a proposal id"))?;
            let to =
                q.to.clone()
                    .ok_or_else(|| missing_field("to", "a proposal id"))?;
            (Some(from), Some(to))
        }
        "zone" | "propose" | "improve" | "deadlock" => (None, None),
        other => {
            return Err(ApiError::bad_request_problems(
                format!("request field `kind`: unknown question `{other}`"),
                vec![FieldProblem::field(
                    "kind".into(),
                    other,
                    "zone, propose, improve, deadlock, compare or preferred",
                )],
            ))
        }
    };
    let concept = q.concept.clone().unwrap_or_else(|| "nash".into());
    if kind == "propose" && <concord_api::Concept as concord_api::Named>::parse(&concept).is_none()
    {
        return Err(ApiError::bad_request_problems(
            format!("request field `concept`: unknown concept `{concept}`"),
            vec![FieldProblem::field(
                "concept".into(),
                concept,
                <concord_api::Concept as concord_api::Named>::expected(),
            )],
        ));
    }
    let improve_on = if kind == "improve" {
        let id = q
            .proposal
            .clone()
            .ok_or_else(|| missing_field("proposal", "the id of a tabled proposal"))?;
        Some((
            id.clone(),
            proposal_package(&state, &room, &id, "proposal").await?,
        ))
    } else {
        None
    };
    let pair = match (&from, &to) {
        (Some(f), Some(t)) => Some((
            proposal_package(&state, &room, f, "from").await?,
            proposal_package(&state, &room, t, "to").await?,
        )),
        _ => None,
    };
    state.ask(&room)?;
    // An answer computed from the same inputs (the same public text, the same submissions) is
    // not computed again; it is still counted above, and recorded in the ledger and the audit
    // chain below, as every answer is.
    let inputs = subs.inputs(public.generation);
    let question = match (&improve_on, &pair) {
        (Some((id, package)), _) => Some(format!("improve {id} {}", words(package))),
        (_, Some(pair)) => Some(format!(
            "compare {}",
            serde_json::to_string(pair).unwrap_or_default()
        )),
        _ => None,
    };
    let reveal = subs.reveal();
    let (answer, reveals) = match kind.as_str() {
        "preferred" => {
            let (f, t) = (
                from.clone().unwrap_or_default(),
                to.clone().unwrap_or_default(),
            );
            let rows = sqlx::query("SELECT party FROM responses WHERE room_id = $1 AND proposal_id = $2 AND response = 'prefer' AND over = $3")
                .bind(&room)
                .bind(&t)
                .bind(&f)
                .fetch_all(state.pool())
                .await?;
            let stated: Vec<String> = rows
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
            let unanimous = consenting.iter().all(|p| stated.contains(p));
            (
                serde_json::json!({ "unanimous": unanimous }),
                if unanimous {
                    format!("every delegation whose consent is needed stated that it prefers `{t}` to `{f}`")
                } else {
                    format!("not every delegation whose consent is needed has stated that it prefers `{t}` to `{f}`")
                },
            )
        }
        "zone" | "propose" | "deadlock" => {
            let report = match state.room_analysis(&room, &inputs) {
                Some(report) => report,
                None => {
                    let loaded = room_model(&state, &room, &public, &subs, &inputs).await?;
                    let report = blocking(move || analysis(&loaded)).await?;
                    state.keep_room_analysis(&room, &inputs, report)
                }
            };
            analysis_answer(&report, &kind, &concept, &reveal)?
        }
        _ => match question
            .as_ref()
            .and_then(|q| state.answer(&room, &inputs, q))
        {
            Some(answered) => answered,
            None => {
                let loaded = room_model(&state, &room, &public, &subs, &inputs).await?;
                let (concept, kind) = (concept.clone(), kind.clone());
                let answered: Answered = blocking(move || {
                    answer_from_preferences(&loaded, &kind, &concept, improve_on, pair, &reveal)
                })
                .await?;
                if let Some(q) = &question {
                    state.keep_answer(&room, &inputs, q, &answered);
                }
                answered
            }
        },
    };
    let (seq, audit_head) = state
        .write(&room, {
            let room = room.clone();
            let kind = kind.clone();
            let reveals = reveals.clone();
            let consenting = consenting.clone();
            move |c| {
                Box::pin(async move {
                    let seq =
                        crate::db::record(c, &room, "mediator", &consenting, &reveals).await?;
                    let audit_head = append(
                        c,
                        &room,
                        "mediator",
                        &format!("query.{kind}"),
                        &format!("question `{kind}` answered; ledger entry {seq}"),
                        "",
                    )
                    .await?;
                    Ok((seq, audit_head))
                })
            }
        })
        .await?;
    Ok(Json(QueryAnswer {
        kind,
        answer,
        reveals,
        ledger_entry: seq,
        audit_head,
    }))
}

/// The analysis of a room's whole scenario, as the questions `zone`, `propose` and `deadlock`
/// read it.
fn analysis(loaded: &concord_api::Loaded) -> Result<AnalysisReport, ApiError> {
    concord_api::analyze_loaded(loaded, &AnalyzeRequest::default(), &Control::default())
        .map(|report| report.model())
        .map_err(ApiError::from_api_plain)
}

/// The answer to `zone`, `propose` or `deadlock` from the analysis.
fn analysis_answer(
    model: &AnalysisReport,
    kind: &str,
    concept: &str,
    reveal: &[String],
) -> Result<Answered, ApiError> {
    let exists = model.zone.exists;
    if kind == "zone" || !exists && kind == "propose" {
        let reveals = if exists {
            "an agreement zone exists: some package clears every delegation's reservation value and red lines"
        } else {
            "no agreement zone exists: no package clears every delegation's reservation value and red lines"
        };
        return Ok((serde_json::json!({ "zone_exists": exists }), reveals.into()));
    }
    if kind == "propose" {
        let solution = model
            .solutions
            .iter()
            .find(|s| s.concept == concept)
            .and_then(|s| s.points.first().map(|p| (s, p)));
        let Some((s, point)) = solution else {
            return Err(ApiError::internal(format!(
                "no {concept} point in a non-empty zone"
            )));
        };
        let Some(package) = point.packages.first() else {
            return Err(ApiError::internal("a solution point without a package"));
        };
        let named: NamedPackage = package.options.0.clone();
        return Ok((
            serde_json::json!({
                "zone_exists": true,
                "concept": concept,
                "package": package_json(&named),
                "tied": s.tied,
            }),
            format!(
                "an agreement zone exists, and the {concept} package of the delegations' preferences is {}{}",
                words(&named),
                if s.tied { " (one of several tied)" } else { "" }
            ),
        ));
    }
    // Deadlock.
    let Some(no_zone) = &model.no_zone else {
        return Ok((
            serde_json::json!({ "zone_exists": true }),
            "an agreement zone exists: there is no deadlock".into(),
        ));
    };
    let smallest = no_zone
        .corrections
        .iter()
        .min_by_key(|c| c.constraints.len());
    let Some(c) = smallest else {
        return Ok((
            serde_json::json!({ "zone_exists": false, "opened_by": null }),
            "no agreement zone exists, and no set of red lines and reservation values found opens one".into(),
        ));
    };
    let mut red_lines = 0;
    let mut reservations = 0;
    let mut named = Vec::new();
    for k in &c.constraints {
        match k {
            concord_api::Constraint::RedLine(r) => {
                red_lines += 1;
                if reveal.contains(&r.party) {
                    named.push(serde_json::json!({"party": r.party, "red_line": r.id}));
                }
            }
            concord_api::Constraint::Reservation { .. } => reservations += 1,
        }
    }
    let proven = no_zone.corrections_complete;
    Ok((
        serde_json::json!({
            "zone_exists": false,
            "red_lines": red_lines,
            "reservations": reservations,
            "proven_smallest": proven,
            "named_with_consent": named,
        }),
        format!(
            "no agreement zone exists; the {} change that opens one relaxes {red_lines} red line(s) and {reservations} reservation value(s){}",
            if proven { "smallest" } else { "smallest found" },
            if named.is_empty() {
                String::new()
            } else {
                format!(
                    ", among them (with their delegations' consent) {}",
                    named
                        .iter()
                        .map(|n| format!("`{}` of `{}`", n["red_line"].as_str().unwrap_or(""), n["party"].as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ),
    ))
}

fn answer_from_preferences(
    loaded: &concord_api::Loaded,
    kind: &str,
    concept: &str,
    improve_on: Option<(String, NamedPackage)>,
    pair: Option<(NamedPackage, NamedPackage)>,
    reveal: &[String],
) -> Result<(Value, String), ApiError> {
    let control = Control::default();
    match kind {
        "zone" | "propose" | "deadlock" => {
            analysis_answer(&analysis(loaded)?, kind, concept, reveal)
        }
        "improve" => {
            let (id, package) =
                improve_on.ok_or_else(|| missing_field("proposal", "a proposal id"))?;
            let request = ImproveRequest {
                draft: Draft {
                    package: Some(
                        package
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                    ..Default::default()
                },
                ..Default::default()
            };
            let report = improve(
                &ScenarioInput::Model {
                    name: loaded.name.clone(),
                    scenario: Box::new(loaded.scenario.clone()),
                },
                &request,
                &control,
            )
            .map_err(ApiError::from_api_plain)?;
            let closest = report.improvements.closest.as_ref().map(|c| {
                report
                    .scenario
                    .issues
                    .iter()
                    .zip(&c.package)
                    .map(|(i, &o)| (i.id.clone(), i.options[o].id.clone()))
                    .collect::<NamedPackage>()
            });
            let improvable = report.improvable();
            let reveals = match (&closest, improvable) {
                (Some(p), _) => format!(
                    "some package meets every red line and is better than `{id}` for every delegation whose consent is needed; the closest (fewest issues changed) is {}",
                    words(p)
                ),
                (None, true) => format!(
                    "some package meets every red line, is at least as good as `{id}` for every delegation whose consent is needed and better for one"
                ),
                (None, false) => format!(
                    "no package that meets every red line is at least as good as `{id}` for every delegation whose consent is needed and better for one"
                ),
            };
            Ok((
                serde_json::json!({
                    "improvable": improvable,
                    "package": closest.as_ref().map(package_json),
                }),
                reveals,
            ))
        }
        "compare" => {
            let (a, b) = pair.ok_or_else(|| missing_field("from", "a proposal id"))?;
            let values = package_values(loaded, &[a, b]).map_err(ApiError::from_api_plain)?;
            let better = values.pareto_improves(0, 1);
            Ok((
                serde_json::json!({ "better_for_every_delegation": better, "exact": values.exact }),
                if better {
                    "proposal `to` is at least as good as `from` for every delegation whose consent is needed, and better for one".to_string()
                } else {
                    "proposal `to` is not at least as good as `from` for every delegation whose consent is needed with one better off".to_string()
                },
            ))
        }
        _ => Err(ApiError::bad_request(format!("unknown question `{kind}`"))),
    }
}

// ---------------------------------------------------------------------------------------------
// The single negotiating text and blind acceptance

/// A package put on the table.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TableProposal {
    /// One line for people.
    pub label: String,
    /// One option for every issue: issue id → option id (a number for a numeric issue).
    #[schema(value_type = Object)]
    pub package: BTreeMap<String, Value>,
}

/// A proposal on the table.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// Its id (`p1`, `p2`, …).
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its package.
    #[schema(value_type = Object)]
    pub package: BTreeMap<String, String>,
    /// Whether it is the room's agreement.
    pub agreed: bool,
    /// For a delegation: its own utility of the package (from its own preferences only).
    pub your_utility: Option<f64>,
    /// For a delegation: its own response (`accept`, `veto` or `prefer`), if any.
    pub your_response: Option<String>,
    /// For a delegation's `prefer`: the proposal it prefers this one to.
    pub your_preference_over: Option<String>,
}

/// Puts a package on the table (mediator only).
#[utoipa::path(post, path = "/rooms/{room}/proposals", params(("room" = String, Path)),
    request_body = TableProposal,
    responses((status = 201, body = ProposalView), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn post_proposal(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
    Body(req): Body<TableProposal>,
) -> Result<(StatusCode, Json<ProposalView>), ApiError> {
    let role = state.caller(&headers, &room).await?;
    require(&role, &["mediator"], "tabling a proposal")?;
    let public = state.room(&room).await?;
    let mut package: NamedPackage = Vec::new();
    for (issue, option) in &req.package {
        let option = match option {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(ApiError::bad_request_problems(
                    format!("request field `package.{issue}`: expected an option id"),
                    vec![FieldProblem::field(
                        format!("package.{issue}"),
                        other.to_string(),
                        "an option id (a string, or a number for a numeric issue)",
                    )],
                ))
            }
        };
        package.push((issue.clone(), option));
    }
    package_values(&public.model, std::slice::from_ref(&package)).map_err(|e| {
        ApiError::bad_request_problems(
            format!("request field `package`: {}", e.message()),
            vec![FieldProblem::field(
                "package".into(),
                words(&package),
                "one option id of every issue of the room",
            )],
        )
    })?;
    let (id, map) = state
        .write(&room, {
        let room = room.clone();
        let package = package.clone();
        let label = req.label.clone();
            move |c| {
                Box::pin(async move {
            let agreed = crate::db::agreement(&mut *c, &room).await?;
            if let Some(a) = agreed {
                return Err(ApiError::conflict(format!(
                    "the room has an agreement (`{a}`); no more proposals are tabled"
                )));
            }
            let seq: i64 = sqlx::query("SELECT COUNT(*) FROM proposals WHERE room_id = $1")
                .bind(&room)
                .fetch_one(&mut *c)
                .await?
                .try_get::<i64, _>(0)?
                + 1;
            let id = format!("p{seq}");
            let map: BTreeMap<String, String> = package.iter().cloned().collect();
            sqlx::query("INSERT INTO proposals (room_id, id, seq, label, package, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&room)
                .bind(&id)
                .bind(seq)
                .bind(&label)
                .bind(serde_json::to_string(&map).unwrap_or_default())
                .bind(now())
                .execute(&mut *c)
                .await?;
            append(
                c,
                &room,
                "mediator",
                "proposal.table",
                &format!("`{id}` tabled: {}", words(&package)),
                "",
            )
            .await?;
            Ok((id, map))
                })
            }
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ProposalView {
            id,
            label: req.label,
            package: map,
            agreed: false,
            your_utility: None,
            your_response: None,
            your_preference_over: None,
        }),
    ))
}

/// The proposals on the table; a delegation also sees its own utility and response for each.
#[utoipa::path(get, path = "/rooms/{room}/proposals", params(("room" = String, Path)),
    responses((status = 200, body = Vec<ProposalView>), (status = 401, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_proposals(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Answer<Vec<ProposalView>> {
    let role = state.caller(&headers, &room).await?;
    let public = state.room(&room).await?;
    let pool = state.pool();
    let party = match &role {
        Role::Delegation(p) => Some(p.clone()),
        _ => None,
    };
    // One query (one snapshot, one trip to the database): the proposals, the room's agreement,
    // and for a delegation its own responses and the commitment of its preferences.
    let rows = sqlx::query(
        "SELECT p.id, p.label, p.package, rm.agreement, r.response, r.over, \
         (SELECT commitment FROM preferences WHERE room_id = $1 AND party = $2) \
         FROM proposals p JOIN rooms rm ON rm.id = p.room_id \
         LEFT JOIN responses r ON r.room_id = p.room_id AND r.proposal_id = p.id AND r.party = $2 \
         WHERE p.room_id = $1 ORDER BY p.seq",
    )
    .bind(&room)
    .bind(party.clone())
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut commitment: Option<String> = None;
    for r in rows {
        let id: String = r.try_get(0)?;
        let package: String = r.try_get(2)?;
        let agreement: Option<String> = r.try_get(3)?;
        commitment = r.try_get(6)?;
        out.push(ProposalView {
            agreed: agreement.as_deref() == Some(id.as_str()),
            id,
            label: r.try_get(1)?,
            package: serde_json::from_str(&package)
                .map_err(|e| ApiError::internal(format!("stored package: {e}")))?,
            your_utility: None,
            your_response: r.try_get(4)?,
            your_preference_over: r.try_get(5)?,
        });
    }
    if let (Some(party), Some(commitment)) = (&party, commitment) {
        let loaded = match state.own_model(&room, party, &commitment, public.generation) {
            Some(loaded) => loaded,
            None => {
                // Not read since it was submitted (the server restarted, or another
                // revision came in between): read it, and keep it under the commitment read
                // with it.
                let own = sqlx::query(
                    "SELECT body, commitment FROM preferences WHERE room_id = $1 AND party = $2",
                )
                .bind(&room)
                .bind(party)
                .fetch_one(pool)
                .await?;
                let body: String = own.try_get(0)?;
                let commitment: String = own.try_get(1)?;
                let own = Private {
                    party: party.clone(),
                    body: serde_json::from_str(&body)
                        .map_err(|e| ApiError::internal(format!("stored preferences: {e}")))?,
                };
                let read_with = public.clone();
                let loaded = blocking(move || {
                    let tables = read_with.others_tables(&own.party)?;
                    let text = compose_with(&read_with.text, std::slice::from_ref(&own), &tables)?;
                    load(&ScenarioInput::toml(OWN_SCENARIO, text), false)
                        .map_err(ApiError::from_api_plain)
                })
                .await?;
                state.keep_own_model(&room, party, &commitment, public.generation, loaded)
            }
        };
        let packages: Vec<NamedPackage> = out
            .iter()
            .map(|p| p.package.clone().into_iter().collect())
            .collect();
        let party = party.clone();
        let utilities = blocking(move || {
            let values = package_values(&loaded, &packages).map_err(ApiError::from_api_plain)?;
            let k = values
                .parties
                .iter()
                .position(|p| *p == party)
                .ok_or_else(|| ApiError::internal("own party not scored"))?;
            Ok(values.utilities.iter().map(|u| u[k]).collect::<Vec<f64>>())
        })
        .await?;
        for (p, u) in out.iter_mut().zip(utilities) {
            p.your_utility = Some(u);
        }
    }
    Ok(Json(out))
}

/// A delegation's secret response to a proposal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Respond {
    /// `accept`, `veto`, or `prefer` (this proposal to the one in `over`).
    pub response: String,
    /// For `prefer`: the other proposal.
    #[serde(default)]
    pub over: Option<String>,
}

/// A response recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Responded {
    /// The proposal.
    pub proposal: String,
    /// The commitment in the audit chain: SHA-256 of `salt` and the response as JSON.
    pub commitment: String,
    /// Its salt.
    pub salt: String,
    /// The room's agreement, once every delegation whose consent is needed has accepted the
    /// same proposal (then public to the room).
    pub agreement: Option<String>,
    /// The audit chain's head.
    pub audit_head: String,
}

/// Accepts, vetoes or prefers a proposal, in secret (delegation only). An agreement is declared
/// when every delegation whose consent is needed has accepted the same proposal; until then no
/// one learns any response.
#[utoipa::path(put, path = "/rooms/{room}/proposals/{proposal}/response",
    params(("room" = String, Path), ("proposal" = String, Path)),
    request_body = Respond,
    responses((status = 200, body = Responded), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn put_response(
    State(state): State<AppState>,
    Path((room, proposal)): Path<(String, String)>,
    headers: HeaderMap,
    Body(req): Body<Respond>,
) -> Answer<Responded> {
    let role = state.caller(&headers, &room).await?;
    let party = delegation(&role, "responding to a proposal")?;
    let public = state.room(&room).await?;
    match (req.response.as_str(), &req.over) {
        ("accept" | "veto", None) => {}
        ("prefer", Some(over)) if *over != proposal => {
            proposal_package(&state, &room, over, "over").await?;
        }
        ("prefer", _) => return Err(missing_field("over", "the id of another tabled proposal")),
        ("accept" | "veto", Some(_)) => {
            return Err(ApiError::bad_request_problems(
                "`over` goes only with `prefer`",
                vec![FieldProblem::field(
                    "over".into(),
                    "a proposal",
                    "no `over`",
                )],
            ))
        }
        (other, _) => {
            return Err(ApiError::bad_request_problems(
                format!("request field `response`: `{other}` is not a response"),
                vec![FieldProblem::field(
                    "response".into(),
                    other,
                    "accept, veto or prefer",
                )],
            ))
        }
    }
    let salt = random_hex(16);
    let private = serde_json::json!({"response": req.response, "over": req.over}).to_string();
    let commitment = commit(salt.as_bytes(), private.as_bytes());
    let (audit_head, agreement) = state
        .write(&room, {
        let room = room.clone();
        let proposal = proposal.clone();
        let party = party.clone();
        let response = req.response.clone();
        let over = req.over.clone();
        let commitment = commitment.clone();
        let actor = role.actor();
        let consenting = public.consenting();
            move |c| {
                Box::pin(async move {
            let exists = sqlx::query("SELECT id FROM proposals WHERE room_id = $1 AND id = $2")
                .bind(&room)
                .bind(&proposal)
                .fetch_optional(&mut *c)
                .await?;
            if exists.is_none() {
                return Err(ApiError::not_found(format!(
                    "no proposal `{proposal}` in this room"
                )));
            }
            let agreed = crate::db::agreement(&mut *c, &room).await?;
            if let Some(a) = agreed {
                return Err(ApiError::conflict(format!(
                    "the room has an agreement (`{a}`); responses are closed"
                )));
            }
            sqlx::query(
                "INSERT INTO responses (room_id, proposal_id, party, response, over, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (room_id, proposal_id, party) DO UPDATE SET response = excluded.response, over = excluded.over, updated_at = excluded.updated_at",
            )
            .bind(&room)
            .bind(&proposal)
            .bind(&party)
            .bind(&response)
            .bind(over)
            .bind(now())
            .execute(&mut *c)
            .await?;
            let mut audit_head = append(
                c,
                &room,
                &actor,
                "proposal.respond",
                &format!("a response to `{proposal}`"),
                &commitment,
            )
            .await?;
            let accepted: Vec<String> = sqlx::query("SELECT party FROM responses WHERE room_id = $1 AND proposal_id = $2 AND response = 'accept'")
                .bind(&room)
                .bind(&proposal)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
            let agreement = if !consenting.is_empty() && consenting.iter().all(|p| accepted.contains(p)) {
                sqlx::query("UPDATE rooms SET agreement = $1 WHERE id = $2")
                    .bind(&proposal)
                    .bind(&room)
                    .execute(&mut *c)
                    .await?;
                let reveals = format!(
                    "agreement on `{proposal}`: every delegation whose consent is needed accepted it"
                );
                crate::db::record(c, &room, "room", &consenting, &reveals).await?;
                audit_head = append(
                    c,
                    &room,
                    "server",
                    "agreement.declare",
                    &format!("agreement on `{proposal}`"),
                    "",
                )
                .await?;
                Some(proposal.clone())
            } else {
                None
            };
            Ok((audit_head, agreement))
                })
            }
        })
        .await?;
    Ok(Json(Responded {
        proposal,
        commitment,
        salt,
        agreement,
        audit_head,
    }))
}

// ---------------------------------------------------------------------------------------------
// Framework, ledger, audit

/// A framework point with each party's stance.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointView {
    /// Its number.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// The issues it settles.
    pub issues: Vec<String>,
    /// Each party's stance, by party id (`accepts`, `rejects`, `reserves`, `not-stated`).
    #[schema(value_type = Object)]
    pub stances: BTreeMap<String, String>,
}

/// The framework document with the stances.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkView {
    /// Its title.
    pub title: String,
    /// Its points.
    pub points: Vec<PointView>,
}

/// The framework document and each party's stance per point, as the room has them.
#[utoipa::path(get, path = "/rooms/{room}/framework", params(("room" = String, Path)),
    responses((status = 200, body = FrameworkView), (status = 401, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_framework(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Answer<FrameworkView> {
    state.caller(&headers, &room).await?;
    let public = state.room(&room).await?;
    let rows = sqlx::query("SELECT point, party, stance FROM stances WHERE room_id = $1")
        .bind(&room)
        .fetch_all(state.pool())
        .await?;
    let scenario = &public.model.scenario;
    let mut points: Vec<PointView> = scenario
        .framework
        .points
        .iter()
        .map(|p| PointView {
            number: p.number,
            title: p.title.clone(),
            issues: p
                .issues
                .iter()
                .map(|&i| scenario.issues[i].id.clone())
                .collect(),
            stances: scenario
                .parties
                .iter()
                .zip(&p.stances)
                .map(|(party, s)| (party.id.clone(), s.stance.as_str().to_string()))
                .collect(),
        })
        .collect();
    for r in rows {
        let n: i64 = r.try_get(0)?;
        if let Some(p) = points.iter_mut().find(|p| i64::from(p.number) == n) {
            p.stances.insert(r.try_get(1)?, r.try_get(2)?);
        }
    }
    Ok(Json(FrameworkView {
        title: scenario.framework.title.clone(),
        points,
    }))
}

/// A stance on a point.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStance {
    /// `accepts`, `rejects`, `reserves` or `not-stated`.
    pub stance: String,
}

/// A stance recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct StanceSaved {
    /// The point.
    pub point: u32,
    /// The stance.
    pub stance: String,
    /// The audit chain's head.
    pub audit_head: String,
}

/// States the caller's stance on a framework point, shared with the room (delegation only).
#[utoipa::path(put, path = "/rooms/{room}/framework/points/{point}/stance",
    params(("room" = String, Path), ("point" = u32, Path)),
    request_body = SetStance,
    responses((status = 200, body = StanceSaved), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn put_stance(
    State(state): State<AppState>,
    Path((room, point)): Path<(String, String)>,
    headers: HeaderMap,
    Body(req): Body<SetStance>,
) -> Answer<StanceSaved> {
    let role = state.caller(&headers, &room).await?;
    let party = delegation(&role, "stating a stance")?;
    let public = state.room(&room).await?;
    let point: u32 = point.parse().map_err(|_| {
        ApiError::bad_request_problems(
            format!("path: `{point}` is not a point number"),
            vec![FieldProblem::field(
                "point".into(),
                point.clone(),
                "a point number",
            )],
        )
    })?;
    if !public
        .model
        .scenario
        .framework
        .points
        .iter()
        .any(|p| p.number == point)
    {
        return Err(ApiError::not_found(format!(
            "the framework has no point {point}"
        )));
    }
    if concord_api::Stance::parse(&req.stance).is_none() {
        return Err(ApiError::bad_request_problems(
            format!("request field `stance`: `{}` is not a stance", req.stance),
            vec![FieldProblem::field(
                "stance".into(),
                req.stance.clone(),
                concord_api::Stance::EXPECTED,
            )],
        ));
    }
    let audit_head = state
        .write(&room, {
        let room = room.clone();
        let party = party.clone();
        let stance = req.stance.clone();
        let actor = role.actor();
            move |c| {
                Box::pin(async move {
            sqlx::query(
                "INSERT INTO stances (room_id, point, party, stance, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (room_id, point, party) DO UPDATE SET stance = excluded.stance, updated_at = excluded.updated_at",
            )
            .bind(&room)
            .bind(i64::from(point))
            .bind(&party)
            .bind(&stance)
            .bind(now())
            .execute(&mut *c)
            .await?;
            let audit_head = append(
                c,
                &room,
                &actor,
                "stance.set",
                &format!("`{party}` {stance} point {point}"),
                "",
            )
            .await?;
            Ok(audit_head)
                })
            }
        })
        .await?;
    Ok(Json(StanceSaved {
        point,
        stance: req.stance,
        audit_head,
    }))
}

/// A new version of the room's public scenario.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    /// The scenario file's text, revised (its framework points, stances, proposals, sources,
    /// claims); the parties and issues stay as they are. `[preferences]` and `[[red_lines]]`
    /// are set aside unread.
    pub scenario: String,
    /// What changed, for people.
    #[serde(default)]
    pub note: String,
}

/// A version of the room's public scenario.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    /// 1, 2, 3, …
    pub version: i64,
    /// What changed.
    pub note: String,
    /// When (milliseconds since 1970-01-01 UTC).
    pub at: i64,
}

fn same_space(old: &PublicRoom, new: &PublicRoom) -> bool {
    let parties = |r: &PublicRoom| -> Vec<(String, bool)> {
        r.parties
            .iter()
            .map(|p| (p.id.clone(), p.consent))
            .collect()
    };
    let issues = |r: &PublicRoom| -> Vec<(String, Vec<String>)> {
        r.model
            .scenario
            .issues
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.options.iter().map(|o| o.id.clone()).collect(),
                )
            })
            .collect()
    };
    parties(old) == parties(new) && issues(old) == issues(new)
}

/// Revises the room's public scenario, as a new version (mediator only). Parties, their consent
/// and the issues with their options must stay: the delegations' preferences refer to them.
#[utoipa::path(post, path = "/rooms/{room}/versions", params(("room" = String, Path)),
    request_body = NewVersion,
    responses((status = 201, body = VersionView), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn post_version(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
    Body(req): Body<NewVersion>,
) -> Result<(StatusCode, Json<VersionView>), ApiError> {
    let role = state.caller(&headers, &room).await?;
    require(&role, &["mediator"], "revising the framework")?;
    let current = state.room(&room).await?;
    let scenario = req.scenario;
    let public = blocking(move || public_part(&scenario)).await?;
    let revised = crate::state::read_public(current.name.clone(), public.text.clone()).await?;
    if !same_space(&current, &revised) {
        return Err(ApiError::bad_request_problems(
            "a new version keeps the room's parties (and whose consent is needed) and its issues with their options: the delegations' preferences refer to them",
            vec![FieldProblem::field(
                "scenario".into(),
                "other parties or issues",
                "the parties and issues of the room",
            )],
        ));
    }
    let (version, at) = state
        .write(&room, {
        let room = room.clone();
        let text = public.text.clone();
        let note = req.note.clone();
            move |c| {
                Box::pin(async move {
            let version: i64 = sqlx::query("SELECT MAX(version) FROM versions WHERE room_id = $1")
                .bind(&room)
                .fetch_one(&mut *c)
                .await?
                .try_get::<Option<i64>, _>(0)?
                .unwrap_or(0)
                + 1;
            let at = now();
            sqlx::query("INSERT INTO versions (room_id, version, public_toml, note, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&room)
                .bind(version)
                .bind(&text)
                .bind(&note)
                .bind(at)
                .execute(&mut *c)
                .await?;
            sqlx::query("UPDATE rooms SET public_toml = $1 WHERE id = $2")
                .bind(&text)
                .bind(&room)
                .execute(&mut *c)
                .await?;
            append(
                c,
                &room,
                "mediator",
                "framework.version",
                &format!("version {version}: {note}"),
                "",
            )
            .await?;
            Ok((version, at))
                })
            }
        })
        .await?;
    state.forget(&room);
    Ok((
        StatusCode::CREATED,
        Json(VersionView {
            version,
            note: req.note,
            at,
        }),
    ))
}

/// The versions of the room's public scenario.
#[utoipa::path(get, path = "/rooms/{room}/versions", params(("room" = String, Path)),
    responses((status = 200, body = Vec<VersionView>), (status = 401, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_versions(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Answer<Vec<VersionView>> {
    state.caller(&headers, &room).await?;
    let rows = sqlx::query(
        "SELECT version, note, created_at FROM versions WHERE room_id = $1 ORDER BY version",
    )
    .bind(&room)
    .fetch_all(state.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(VersionView {
                version: r.try_get(0)?,
                note: r.try_get(1)?,
                at: r.try_get(2)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()
        .map(Json)
}

/// How the framework document changed from version `from` to version `to`: points added,
/// removed, changed and renumbered, as `concord diff OLD NEW --json` reports it.
#[utoipa::path(get, path = "/rooms/{room}/versions/{from}/diff/{to}",
    params(("room" = String, Path), ("from" = i64, Path), ("to" = i64, Path)),
    responses((status = 200, description = "the `concord.diff` report (schemas/)", body = Object),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_diff(
    State(state): State<AppState>,
    Path((room, from, to)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer<Value> {
    state.caller(&headers, &room).await?;
    let public = state.room(&room).await?;
    let mut texts = Vec::new();
    for v in [&from, &to] {
        let n: i64 = v.parse().map_err(|_| {
            ApiError::bad_request_problems(
                format!("path: `{v}` is not a version number"),
                vec![FieldProblem::field(
                    "version".into(),
                    v.clone(),
                    "a version number",
                )],
            )
        })?;
        let row =
            sqlx::query("SELECT public_toml FROM versions WHERE room_id = $1 AND version = $2")
                .bind(&room)
                .bind(n)
                .fetch_optional(state.pool())
                .await?
                .ok_or_else(|| ApiError::not_found(format!("the room has no version {n}")))?;
        let text: String = row.try_get(0)?;
        texts.push((n, compose(&text, &[], &public.consenting())?));
    }
    blocking(move || {
        let (old, new) = (&texts[0], &texts[1]);
        let report = concord_api::diff(
            &ScenarioInput::toml(format!("version {}", old.0), old.1.clone()),
            Some(&ScenarioInput::toml(
                format!("version {}", new.0),
                new.1.clone(),
            )),
            &concord_api::DiffRequest::default(),
        )
        .map_err(ApiError::from_api_plain)?;
        Ok(Json(report.json()))
    })
    .await
}

/// An entry of the leakage ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntry {
    /// 1, 2, 3, …
    pub seq: i64,
    /// When (milliseconds since 1970-01-01 UTC).
    pub at: i64,
    /// Who learnt it: `mediator`, or `room` for what every member learns.
    pub revealed_to: String,
    /// The delegations whose private inputs it depends on.
    pub concerns: Vec<String>,
    /// What it reveals.
    pub reveals: String,
}

/// The leakage ledger: what answers have revealed. The mediator sees every entry, a delegation
/// the entries that concern it, an observer what was revealed to the whole room.
#[utoipa::path(get, path = "/rooms/{room}/ledger", params(("room" = String, Path)),
    responses((status = 200, body = Vec<LedgerEntry>), (status = 401, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_ledger(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Answer<Vec<LedgerEntry>> {
    let role = state.caller(&headers, &room).await?;
    let rows = sqlx::query(
        "SELECT seq, at, asked_by, concerns, reveals FROM ledger WHERE room_id = $1 ORDER BY seq",
    )
    .bind(&room)
    .fetch_all(state.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let concerns: String = r.try_get(3)?;
        let concerns: Vec<String> = serde_json::from_str(&concerns).unwrap_or_default();
        let asked_by: String = r.try_get(2)?;
        let revealed_to = if asked_by == "room" {
            "room"
        } else {
            "mediator"
        };
        let visible = match &role {
            Role::Mediator => true,
            Role::Delegation(p) => concerns.contains(p),
            Role::Observer(_) => revealed_to == "room",
        };
        if visible {
            out.push(LedgerEntry {
                seq: r.try_get(0)?,
                at: r.try_get(1)?,
                revealed_to: revealed_to.into(),
                concerns,
                reveals: r.try_get(4)?,
            });
        }
    }
    Ok(Json(out))
}

/// The room's audit chain as JSON lines, one [`Entry`] per line, for `concord audit verify`.
#[utoipa::path(get, path = "/rooms/{room}/audit", params(("room" = String, Path)),
    responses((status = 200, content_type = "application/x-ndjson", body = Vec<Entry>),
        (status = 401, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn get_audit(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    state.caller(&headers, &room).await?;
    let entries = chain(state.pool(), &room).await?;
    let mut body = String::new();
    for e in entries {
        body.push_str(&serde_json::to_string(&e).map_err(|e| ApiError::internal(e.to_string()))?);
        body.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response())
}

/// The server is up and its database answers.
#[utoipa::path(get, path = "/health", responses((status = 200, body = String)))]
pub async fn health(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    sqlx::query("SELECT 1").fetch_one(state.pool()).await?;
    Ok("ok")
}
