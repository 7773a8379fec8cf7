//! Load on a running `concord serve` over loopback: many rooms, five delegations each, every
//! delegation a client that reads the room, revises its preferences, reads the proposals (with its
//! own utility of each) and responds, while each room's mediator tables proposals and asks
//! questions. Bounded in time. Prints throughput and p50/p99 latency per kind of request; then
//! the latency of a `propose` question on the Kyiv example, asked again on unchanged inputs and
//! asked after each revision of a delegation's preferences (a whole analysis each time).
//!
//! ```text
//! cargo run --release -p concord-server --example load -- http://127.0.0.1:8080 ROOMS SECONDS THINK_MS [KYIV.toml]
//! ```
//! THINK_MS is each delegation's pause between two requests (0: a closed loop that saturates
//! the server, which measures capacity; people at a table pause far longer).
//!
//! With `CONCORD_LOAD_STAGGER=1`, each client starts at a random moment within its first pause
//! and each pause is drawn uniformly between half and one and a half THINK_MS (the mediators'
//! 200 ms likewise): the same mean rate, but clients that do not move in step, as people do
//! not. Without it, every client starts at once and pauses exactly THINK_MS, so the clients
//! stay nearly in step and their requests arrive in bursts of one per client.
//! bench/server/run.sh starts the server (SQLite, then PostgreSQL) and runs this.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

/// A keep-alive HTTP/1.1 connection.
struct Conn {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Conn {
    async fn open(addr: &str) -> Conn {
        let stream = TcpStream::connect(addr).await.expect("the server answers");
        stream.set_nodelay(true).ok();
        Conn {
            stream: BufReader::new(stream),
            host: addr.to_string(),
        }
    }

    async fn call(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let auth = token
            .map(|t| format!("authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream
            .get_mut()
            .write_all(req.as_bytes())
            .await
            .expect("a request is sent");
        let mut line = String::new();
        self.stream
            .read_line(&mut line)
            .await
            .expect("a status line");
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let mut length = 0;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.expect("a header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().expect("a length");
                }
            }
        }
        let mut buf = vec![0; length];
        self.stream.read_exact(&mut buf).await.expect("a body");
        (status, serde_json::from_slice(&buf).unwrap_or(Value::Null))
    }
}

/// A scenario of five consenting parties, four issues of four options, and one framework point.
fn scenario() -> String {
    let mut s = String::from("[scenario]\nid = \"load\"\ntitle = \"Five parties\"\n");
    for p in 0..5 {
        s.push_str(&format!(
            "[[parties]]\nid = \"p{p}\"\nname = \"Party {p}\"\nrole = \"party\"\n"
        ));
    }
    for i in 0..4 {
        s.push_str(&format!("[[issues]]\nid = \"i{i}\"\nname = \"Issue {i}\"\noptions = [\"a\", \"b\", \"c\", \"d\"]\n"));
    }
    s.push_str("[framework]\ntitle = \"Draft\"\n[[framework.points]]\nnumber = 1\ntitle = \"All\"\nissues = [\"i0\"]\n");
    s
}

fn preferences(party: usize, revision: usize) -> Value {
    let mut issues = serde_json::Map::new();
    for i in 0..4 {
        let v = |o: usize| ((party + i + o + revision) % 4) as f64 / 4.0;
        issues.insert(
            format!("i{i}"),
            json!({"weight": 0.25, "values": {"a": v(0), "b": v(1), "c": v(2), "d": v(3)}}),
        );
    }
    json!({"reservation": 0.1, "issues": issues, "red_lines": []})
}

#[derive(Default)]
struct Samples {
    reads: Vec<Duration>,
    writes: Vec<Duration>,
    questions: Vec<Duration>,
    errors: usize,
}

/// A pause of `mean`: exactly, or drawn uniformly in [mean/2, 3 mean/2] when staggered.
fn pause(mean: Duration, stagger: bool) -> Duration {
    if stagger {
        mean.mul_f64(0.5 + rand::random::<f64>())
    } else {
        mean
    }
}

fn percentile(v: &mut [Duration], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort();
    let k = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
    v[k].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let addr = base.trim_start_matches("http://").to_string();
    let rooms: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(40);
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let think = Duration::from_millis(args.get(4).and_then(|s| s.parse().ok()).unwrap_or(0));
    let kyiv = args.get(5).cloned();
    let stagger = std::env::var("CONCORD_LOAD_STAGGER").is_ok_and(|v| v == "1");

    // Set up: rooms, invitations, first preferences.
    let mut setup = Conn::open(&addr).await;
    let mut plan = Vec::new();
    for _ in 0..rooms {
        let (_, created) = setup
            .call(
                "POST",
                "/rooms",
                None,
                Some(&json!({"scenario": scenario()})),
            )
            .await;
        let room = created["room"].as_str().expect("a room").to_string();
        let mediator = created["mediator_token"].as_str().unwrap().to_string();
        let mut delegations = Vec::new();
        for p in 0..5 {
            let (_, inv) = setup
                .call(
                    "POST",
                    &format!("/rooms/{room}/invitations"),
                    Some(&mediator),
                    Some(&json!({"role": "delegation", "party": format!("p{p}")})),
                )
                .await;
            let token = inv["token"].as_str().unwrap().to_string();
            setup
                .call(
                    "PUT",
                    &format!("/rooms/{room}/preferences"),
                    Some(&token),
                    Some(&preferences(p, 0)),
                )
                .await;
            delegations.push(token);
        }
        setup
            .call("POST", &format!("/rooms/{room}/proposals"), Some(&mediator), Some(&json!({"label": "start", "package": {"i0": "a", "i1": "a", "i2": "a", "i3": "a"}})))
            .await;
        plan.push((room, mediator, delegations));
    }
    let samples = Arc::new(Mutex::new(Samples::default()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (room, mediator, delegations) in plan {
        for (p, token) in delegations.into_iter().enumerate() {
            let (room, samples, addr) = (room.clone(), samples.clone(), addr.clone());
            tasks.push(tokio::spawn(async move {
                let mut c = Conn::open(&addr).await;
                let mut n = 0;
                let mut local = Samples::default();
                if stagger {
                    tokio::time::sleep(think.mul_f64(rand::random::<f64>())).await;
                }
                while Instant::now() < deadline {
                    n += 1;
                    let t = Instant::now();
                    let (s, _) = c
                        .call("GET", &format!("/rooms/{room}"), Some(&token), None)
                        .await;
                    local.reads.push(t.elapsed());
                    local.errors += usize::from(s != 200);
                    tokio::time::sleep(pause(think, stagger)).await;
                    let t = Instant::now();
                    let (s, _) = c
                        .call(
                            "PUT",
                            &format!("/rooms/{room}/preferences"),
                            Some(&token),
                            Some(&preferences(p, n)),
                        )
                        .await;
                    local.writes.push(t.elapsed());
                    local.errors += usize::from(s != 200);
                    tokio::time::sleep(pause(think, stagger)).await;
                    let t = Instant::now();
                    let (s, props) = c
                        .call(
                            "GET",
                            &format!("/rooms/{room}/proposals"),
                            Some(&token),
                            None,
                        )
                        .await;
                    local.reads.push(t.elapsed());
                    local.errors += usize::from(s != 200);
                    tokio::time::sleep(pause(think, stagger)).await;
                    let last = props
                        .as_array()
                        .and_then(|a| a.last())
                        .and_then(|p| p["id"].as_str())
                        .unwrap_or("p1")
                        .to_string();
                    let t = Instant::now();
                    let (s, _) = c
                        .call(
                            "PUT",
                            &format!("/rooms/{room}/proposals/{last}/response"),
                            Some(&token),
                            Some(&json!({"response": "veto"})),
                        )
                        .await;
                    local.writes.push(t.elapsed());
                    local.errors += usize::from(s != 200 && s != 409);
                    tokio::time::sleep(pause(think, stagger)).await;
                }
                let mut all = samples.lock().await;
                all.reads.extend(local.reads);
                all.writes.extend(local.writes);
                all.errors += local.errors;
            }));
        }
        let (samples, addr) = (samples.clone(), addr.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(&addr).await;
            let mut local = Samples::default();
            let mut n = 0;
            let every = Duration::from_millis(200);
            if stagger {
                tokio::time::sleep(every.mul_f64(rand::random::<f64>())).await;
            }
            while Instant::now() < deadline {
                n += 1;
                let opts = ["a", "b", "c", "d"];
                let t = Instant::now();
                let (s, _) = c
                    .call("POST", &format!("/rooms/{room}/proposals"), Some(&mediator), Some(&json!({"label": format!("t{n}"), "package": {"i0": opts[n % 4], "i1": opts[(n / 4) % 4], "i2": "b", "i3": "c"}})))
                    .await;
                local.writes.push(t.elapsed());
                local.errors += usize::from(s != 201);
                let t = Instant::now();
                let (s, _) = c.call("POST", &format!("/rooms/{room}/queries"), Some(&mediator), Some(&json!({"kind": "propose"}))).await;
                local.questions.push(t.elapsed());
                local.errors += usize::from(s != 200);
                tokio::time::sleep(pause(every, stagger)).await;
            }
            let mut all = samples.lock().await;
            all.writes.extend(local.writes);
            all.questions.extend(local.questions);
            all.errors += local.errors;
        }));
    }
    let clients = tasks.len();
    for t in tasks {
        t.await.expect("a client finishes");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut guard = samples.lock().await;
    let s = &mut *guard;
    let total = s.reads.len() + s.writes.len() + s.questions.len();
    println!(
        "{rooms} rooms x 5 delegations + 1 mediator = {clients} concurrent clients, think time {} ms{}, {elapsed:.1} s: {total} requests, {:.0} requests/s, {} errors",
        think.as_millis(),
        if stagger { " (staggered)" } else { "" },
        total as f64 / elapsed,
        s.errors
    );
    for (name, v) in [
        ("reads", &mut s.reads),
        ("writes", &mut s.writes),
        ("questions (propose)", &mut s.questions),
    ] {
        let n = v.len();
        println!(
            "  {name:<20} {n:>7}  p50 {:>7.2} ms  p99 {:>7.2} ms",
            percentile(v, 0.5),
            percentile(v, 0.99)
        );
    }
    if let Some(path) = kyiv {
        let text = std::fs::read_to_string(&path).expect("the Kyiv example");
        let mut c = Conn::open(&addr).await;
        let (_, created) = c
            .call("POST", "/rooms", None, Some(&json!({"scenario": text})))
            .await;
        let room = created["room"].as_str().unwrap().to_string();
        let mediator = created["mediator_token"].as_str().unwrap().to_string();
        let mut revise = Vec::new();
        for party in ["ukraine", "russia", "united_states"] {
            let (_, inv) = c
                .call(
                    "POST",
                    &format!("/rooms/{room}/invitations"),
                    Some(&mediator),
                    Some(&json!({"role": "delegation", "party": party})),
                )
                .await;
            let token = inv["token"].as_str().unwrap().to_string();
            let body = concord_server::submission_from_scenario(&text, party)
                .expect("the party's preferences");
            let (st, ans) = c
                .call(
                    "PUT",
                    &format!("/rooms/{room}/preferences"),
                    Some(&token),
                    Some(&body),
                )
                .await;
            assert_eq!(st, 200, "{ans}");
            revise.push((token, body));
        }
        // The same question 20 times on unchanged inputs (a whole analysis of its 218,700
        // packages the first time; the server may reuse it after).
        let mut times = Vec::new();
        for concept in ["nash", "egalitarian", "kalai-smorodinsky", "utilitarian"]
            .iter()
            .cycle()
            .take(20)
        {
            times.push(propose(&mut c, &room, &mediator, concept).await);
        }
        report(
            "`propose` question, 20 in a row on unchanged inputs",
            &mut times,
        );
        // The same question after each revision of a delegation's preferences: the server
        // cannot reuse an earlier analysis (its inputs changed), so each is a whole analysis.
        let mut times = Vec::new();
        for (n, concept) in ["nash", "egalitarian", "kalai-smorodinsky", "utilitarian"]
            .iter()
            .cycle()
            .take(12)
            .enumerate()
        {
            let (token, body) = &revise[n % revise.len()];
            let (st, ans) = c
                .call(
                    "PUT",
                    &format!("/rooms/{room}/preferences"),
                    Some(token),
                    Some(body),
                )
                .await;
            assert_eq!(st, 200, "{ans}");
            times.push(propose(&mut c, &room, &mediator, concept).await);
        }
        report(
            "`propose` question after a revision of preferences, 12",
            &mut times,
        );
    }
}

/// One `propose` question of the mediator; how long its answer took.
async fn propose(c: &mut Conn, room: &str, mediator: &str, concept: &str) -> Duration {
    let t = Instant::now();
    let (st, ans) = c
        .call(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(mediator),
            Some(&json!({"kind": "propose", "concept": concept})),
        )
        .await;
    let elapsed = t.elapsed();
    assert_eq!(st, 200, "{ans}");
    elapsed
}

/// A line of the Kyiv figures: p50 and p99 of `times`.
fn report(what: &str, times: &mut [Duration]) {
    println!(
        "  Kyiv example, {what}: p50 {:.1} ms, p99 {:.1} ms",
        percentile(times, 0.5),
        percentile(times, 0.99)
    );
}
