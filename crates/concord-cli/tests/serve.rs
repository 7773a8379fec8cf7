//! `concord serve` as a process: killed with SIGKILL in the middle of a stream of writes and
//! restarted on the same database, it has every write it acknowledged and an intact audit chain
//! (SQLite, and PostgreSQL where a server answers; in CI `.ci/run` starts one). And
//! `concord audit verify` on an export.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const SCENARIO: &str = r#"
[scenario]
id = "river"
title = "Two towns share a river"
[[parties]]
id = "up"
name = "Upstream"
role = "party"
[[parties]]
id = "down"
name = "Downstream"
role = "party"
[[issues]]
id = "share"
name = "Share"
numeric = { min = 20, max = 80, step = 20, unit = "%" }
[[issues]]
id = "monitor"
name = "Monitor"
options = ["upstream", "joint", "province"]
[framework]
title = "Draft"
[[framework.points]]
number = 1
title = "Release"
issues = ["share"]
"#;

const STANCES: [&str; 3] = ["accepts", "rejects", "reserves"];

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request; the status and body, or `None` when the server did not answer.
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token
        .map(|t| format!("authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status: u16 = text.split(' ').nth(1)?.parse().ok()?;
    let (_, body) = text.split_once("\r\n\r\n")?;
    Some((status, body.to_string()))
}

/// Starts `concord serve` on `database` and waits until it answers: on `port`, or on a free
/// port (another one when the server exits before answering, as it does when another process
/// took the port in between). The child and its port.
fn start(database: &str, port: Option<u16>) -> (Child, u16) {
    let mut failures = Vec::new();
    for _ in 0..5 {
        let at = port.unwrap_or_else(free_port);
        let log = std::env::temp_dir().join(format!("concord-serve-test-{at}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_concord"))
            .args([
                "serve",
                "--database",
                database,
                "--listen",
                &format!("127.0.0.1:{at}"),
            ])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("concord serve starts");
        let t = Instant::now();
        loop {
            if http(at, "GET", "/health", None, None).is_some() {
                // The log is kept only for a server that does not come up.
                let _ = std::fs::remove_file(&log);
                return (child, at);
            }
            if let Some(status) = child.try_wait().expect("the child's status") {
                let why = std::fs::read_to_string(&log).unwrap_or_default();
                failures.push(format!("port {at}: {status}: {why}"));
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(60),
                "the server did not come up on port {at} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        if port.is_some() {
            break;
        }
    }
    panic!("concord serve exited before answering: {failures:#?}");
}

fn ok(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
    expect: u16,
) -> Value {
    let (status, text) = http(port, method, path, token, body).expect("an answer");
    assert_eq!(status, expect, "{method} {path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

fn kill_in_the_middle_of_writes(database: &str) {
    let (mut server, port) = start(database, None);
    let created = ok(
        port,
        "POST",
        "/rooms",
        None,
        Some(&json!({"scenario": SCENARIO})),
        201,
    );
    let room = created["room"].as_str().unwrap().to_string();
    let mediator = created["mediator_token"].as_str().unwrap().to_string();
    let up = ok(
        port,
        "POST",
        &format!("/rooms/{room}/invitations"),
        Some(&mediator),
        Some(&json!({"role": "delegation", "party": "up"})),
        201,
    )["token"]
        .as_str()
        .unwrap()
        .to_string();
    // Four writers: the mediator tables proposals, upstream states stances; each records what
    // the server acknowledged.
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stances: Arc<Mutex<Vec<usize>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (room, mediator, up) = (room.clone(), mediator.clone(), up.clone());
        let (acked, stances, stop) = (acked.clone(), stances.clone(), stop.clone());
        writers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                if w < 3 {
                    let label = format!("w{w}-{n}");
                    let body = json!({"label": label, "package": {"share": 20 * (1 + n % 4), "monitor": "joint"}});
                    match http(port, "POST", &format!("/rooms/{room}/proposals"), Some(&mediator), Some(&body)) {
                        Some((201, _)) => acked.lock().unwrap().push(label),
                        _ => break,
                    }
                } else {
                    let stance = STANCES[n % 3];
                    match http(port, "PUT", &format!("/rooms/{room}/framework/points/1/stance"), Some(&up), Some(&json!({"stance": stance}))) {
                        Some((200, _)) => stances.lock().unwrap().push(n),
                        _ => break,
                    }
                }
            }
        }));
    }
    // Let the writes flow, then SIGKILL.
    let t = Instant::now();
    while acked.lock().unwrap().len() < 40 && t.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let last_stance = stances.lock().unwrap().last().cloned();
    assert!(
        acked.len() >= 40,
        "only {} writes before the kill",
        acked.len()
    );
    // Restart on the same database.
    let (mut server, _) = start(database, Some(port));
    let proposals = ok(
        port,
        "GET",
        &format!("/rooms/{room}/proposals"),
        Some(&mediator),
        None,
        200,
    );
    let labels: Vec<&str> = proposals
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    for label in &acked {
        assert!(
            labels.contains(&label.as_str()),
            "acknowledged write {label} lost ({database})"
        );
    }
    // At most the writes in flight at the kill are there unacknowledged.
    assert!(
        labels.len() <= acked.len() + 3,
        "{} stored, {} acknowledged",
        labels.len(),
        acked.len()
    );
    if let Some(n) = last_stance {
        let fw = ok(
            port,
            "GET",
            &format!("/rooms/{room}/framework"),
            Some(&mediator),
            None,
            200,
        );
        let stored = fw["points"][0]["stances"]["up"].as_str().unwrap();
        // The last acknowledged stance, or the next one, whose answer the kill cut off.
        assert!(
            stored == STANCES[n % 3] || stored == STANCES[(n + 1) % 3],
            "stance {stored} after acknowledged write {n} ({database})"
        );
    }
    let chain = ok(
        port,
        "GET",
        &format!("/rooms/{room}/audit"),
        Some(&mediator),
        None,
        200,
    );
    let chain = chain.as_str().unwrap();
    let v = concord_server_verify(chain);
    assert!(
        v.0,
        "the audit chain is broken after the kill ({database}): {}",
        v.1
    );
    // Every stored proposal has its audit entry.
    assert_eq!(chain.matches("proposal.table").count(), labels.len());
    server.kill().unwrap();
    server.wait().unwrap();
}

/// `concord audit verify` on an export: (intact, what it printed).
fn concord_server_verify(chain: &str) -> (bool, String) {
    let dir = tempfile_dir();
    let path = dir.join("audit.jsonl");
    std::fs::write(&path, chain).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(["audit", "verify"])
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.code() == Some(0),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "concord-serve-test-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos() ^ rand_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

#[test]
fn sqlite_keeps_every_acknowledged_write_through_sigkill() {
    let dir = tempfile_dir();
    kill_in_the_middle_of_writes(&dir.join("rooms.db").to_string_lossy());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn postgres_keeps_every_acknowledged_write_through_sigkill() {
    let admin = std::env::var("CONCORD_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/postgres".to_string());
    let db = format!(
        "concord_kill_{}_{}",
        std::process::id(),
        rand_nanos() % 1_000_000_000
    );
    let created = Command::new("psql")
        .args([&admin, "-q", "-c", &format!("CREATE DATABASE {db}")])
        .output();
    match created {
        Ok(o) if o.status.success() => {}
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs a PostgreSQL server at {admin} (.ci/run starts one): {other:?}"
            );
            eprintln!("skipping: no PostgreSQL server at {admin}");
            return;
        }
    }
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    kill_in_the_middle_of_writes(&format!("{base}/{db}"));
    let _ = Command::new("psql")
        .args([
            &admin,
            "-q",
            "-c",
            &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        ])
        .output();
}

#[test]
fn audit_verify_reports_an_altered_export_and_a_missing_file() {
    let dir = tempfile_dir();
    let (mut server, port) = start(&dir.join("rooms.db").to_string_lossy(), None);
    let created = ok(
        port,
        "POST",
        "/rooms",
        None,
        Some(&json!({"scenario": SCENARIO})),
        201,
    );
    let room = created["room"].as_str().unwrap();
    let mediator = created["mediator_token"].as_str().unwrap();
    for _ in 0..3 {
        ok(
            port,
            "POST",
            &format!("/rooms/{room}/invitations"),
            Some(mediator),
            Some(&json!({"role": "observer"})),
            201,
        );
    }
    let chain = ok(
        port,
        "GET",
        &format!("/rooms/{room}/audit"),
        Some(mediator),
        None,
        200,
    );
    let head = ok(
        port,
        "GET",
        &format!("/rooms/{room}"),
        Some(mediator),
        None,
        200,
    )["audit_head"]
        .as_str()
        .unwrap()
        .to_string();
    server.kill().unwrap();
    server.wait().unwrap();
    let chain = chain.as_str().unwrap();
    assert!(concord_server_verify(chain).0);
    let lines: Vec<&str> = chain.lines().collect();
    let path = dir.join("cut.jsonl");
    std::fs::write(&path, lines[..3].join("\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(["audit", "verify", "--head", &head])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed from the end"));
    let altered = chain.replacen("observer", "observes", 1);
    assert!(!concord_server_verify(&altered).0);
    let out = Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(["audit", "verify"])
        .arg(dir.join("missing.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.jsonl"));
    let _ = std::fs::remove_dir_all(dir);
}
