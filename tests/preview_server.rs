//! The preview server's bounds (`vitae watch --serve`): a connection that sends half a request,
//! trickles one, or never reads what it is sent holds no thread and not for long; past the cap
//! on connections the oldest waiting one makes room, or a new one is refused. Each test asserts
//! that the limit was met and what the client then sees, word for word.
//!
//! Linux only: threads are counted from /proc.
#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use vitae::diag::Diagnostic;
use vitae::watch::server::{Limits, Server};
use vitae::watch::{Failed, Outcome, Rebuild};

/// What the server answers at each limit.
const BUSY: &str = "the preview has too many connections open\n";
const TOO_MANY_PAGES: &str = "too many preview pages are open\n";
const TOO_SLOW: &str = "the request took too long to arrive\n";
const TOO_LARGE: &str = "the request head is too large\n";
const BAD_REQUEST: &str = "bad request\n";

const GET_PAGE: &str = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
const HALF_A_REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";

/// How long a test waits for something that takes milliseconds, on a busy machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// One test at a time: the thread count looks at every thread of this process by name.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn start(limits: Limits) -> Server {
    Server::start_with("127.0.0.1:0".parse().expect("an address"), limits)
        .expect("the server starts")
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("a read timeout");
    stream
}

/// Everything the server sends until it closes the connection. A reset after the answer counts
/// as the end: the server may close before the last of a request it refused has arrived.
fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return all,
            Ok(n) => all.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset && !all.is_empty() => return all,
            Err(e) => panic!(
                "reading the answer: {e}; so far {:?}",
                String::from_utf8_lossy(&all)
            ),
        }
    }
}

/// The status line and the body of one whole response.
fn split(response: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(response);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {text:?}"));
    let status = head.lines().next().unwrap_or_default();
    (status.to_string(), body.to_string())
}

/// Sends `request` on a new connection; the status line and body of the answer. A failed write
/// is not the test's concern: a server that refuses a connection may close it first.
fn ask(port: u16, request: &str) -> (String, String) {
    let mut stream = connect(port);
    let _ = stream.write_all(request.as_bytes());
    split(&until_closed(&mut stream))
}

fn pair(status: &str, body: &str) -> (String, String) {
    (status.to_string(), body.to_string())
}

/// Threads of this process with the name the server gives its thread.
fn server_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .filter_map(Result::ok)
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.trim_end() == "vitae-preview")
        })
        .count()
}

/// Opens `/events` and reads the first event; the stream, and that event's data line.
fn open_events(port: u16) -> (TcpStream, String) {
    let mut stream = connect(port);
    stream
        .write_all(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("asks for events");
    let mut received = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        let n = stream.read(&mut chunk).expect("reads the stream");
        assert!(
            n > 0,
            "the stream ended: {:?}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some((head, body)) = text.split_once("\r\n\r\n")
            && let Some((event, _)) = body.split_once("\n\n")
        {
            assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
            assert!(head.contains("Content-Type: text/event-stream"), "{head}");
            return (stream, event.to_string());
        }
    }
}

/// A failed rebuild whose message is `message`: events that carry it are as long.
fn failure(message: &str) -> Rebuild {
    Rebuild {
        took: Duration::ZERO,
        outcome: Outcome::Failed(Failed {
            error: vitae::Error::Other("failed".to_string()),
            diagnostics: vec![Diagnostic::error(message)],
        }),
    }
}

/// Reads events on a thread, sending the generation of each as it arrives.
fn follow(stream: TcpStream) -> Receiver<u64> {
    let (send, generations) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            let generation = line
                .strip_prefix("data: {\"generation\":")
                .and_then(|rest| rest.split(',').next())
                .and_then(|n| n.parse::<u64>().ok());
            if let Some(generation) = generation
                && send.send(generation).is_err()
            {
                return;
            }
            line.clear();
        }
    });
    generations
}

/// Waits until `generations` says `wanted`.
fn wait_for(generations: &Receiver<u64>, wanted: u64) {
    loop {
        let got = generations
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("event {wanted} never came"));
        if got == wanted {
            return;
        }
    }
}

#[test]
fn half_sent_requests_hold_no_thread_and_the_oldest_make_room() {
    let _serial = serial();
    // Nothing times out during the test.
    let server = start(Limits {
        header_timeout: Duration::from_secs(600),
        ..Limits::default()
    });
    let port = server.addr().port();
    let cap = Limits::default().max_connections;
    // The thread names itself once it runs.
    let deadline = Instant::now() + PATIENCE;
    while server_threads() != 1 {
        assert!(Instant::now() < deadline, "no thread named vitae-preview");
        std::thread::sleep(Duration::from_millis(10));
    }

    let mut half: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = connect(port);
            stream.write_all(HALF_A_REQUEST).expect("sends half");
            stream
        })
        .collect();
    let (status, page) = ask(port, GET_PAGE);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(page.contains("<title>vitae preview</title>"), "{page}");
    assert_eq!(server_threads(), 1, "one thread serves 201 connections");

    // The server kept `cap` connections: each new one closed the oldest still waiting for its
    // request, with a 503. The full request took the last place, and was answered.
    let closed = half.len() - (cap - 1);
    for (i, stream) in half.iter_mut().enumerate().take(closed) {
        assert_eq!(
            split(&until_closed(stream)),
            pair("HTTP/1.1 503 Service Unavailable", BUSY),
            "connection {i}"
        );
    }
    // The newest are open, and still waiting.
    for (i, stream) in half.iter_mut().enumerate().skip(closed) {
        stream.set_nonblocking(true).expect("non-blocking");
        let read = stream.read(&mut [0; 1]);
        assert!(
            matches!(&read, Err(e) if e.kind() == ErrorKind::WouldBlock),
            "connection {i}: {read:?}"
        );
    }
}

#[test]
fn a_head_trickled_a_byte_at_a_time_is_cut_at_the_header_deadline() {
    let _serial = serial();
    let server = start(Limits {
        header_timeout: Duration::from_millis(500),
        ..Limits::default()
    });
    let mut stream = connect(server.addr().port());
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .expect("sends the start");
    // A byte every 100 ms, for a minute at most, never the blank line that ends the head.
    let mut writer = stream.try_clone().expect("a second handle");
    let stop = Arc::new(AtomicBool::new(false));
    let trickle = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut sent = 0;
            while sent < 600 && !stop.load(Ordering::SeqCst) && writer.write_all(b"a").is_ok() {
                sent += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            sent
        })
    };
    let answer = until_closed(&mut stream);
    stop.store(true, Ordering::SeqCst);
    let sent = trickle.join().expect("the trickle ends");
    assert_eq!(
        split(&answer),
        pair("HTTP/1.1 408 Request Timeout", TOO_SLOW)
    );
    assert!(
        sent < 600,
        "cut while it was still trickling ({sent} bytes)"
    );
}

#[test]
fn a_kept_alive_connection_answers_each_request_then_closes_quietly_when_idle() {
    let _serial = serial();
    let server = start(Limits {
        header_timeout: Duration::from_millis(500),
        ..Limits::default()
    });
    let mut stream = connect(server.addr().port());
    // Two requests in one write: both are answered, in order.
    stream
        .write_all(
            b"GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\
              HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        )
        .expect("sends");
    let all = String::from_utf8(until_closed(&mut stream)).expect("text");
    let (first, rest) = all.split_once("\r\n\r\n").expect("a first head");
    assert!(first.starts_with("HTTP/1.1 404 Not Found\r\n"), "{first}");
    assert!(first.contains("Connection: keep-alive"), "{first}");
    let rest = rest.strip_prefix("not found\n").expect("the 404's body");
    // HEAD: the page's length, no page; then, idle past the header timeout, the connection
    // ends with nothing more said.
    let (second, after) = rest.split_once("\r\n\r\n").expect("a second head");
    assert!(second.starts_with("HTTP/1.1 200 OK\r\n"), "{second}");
    let length: usize = second
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|n| n.parse().ok())
        .expect("a length");
    assert!(length > 1000, "the page's length: {length}");
    assert_eq!(after, "", "nothing after the HEAD answer");
}

#[test]
fn when_every_connection_is_busy_a_new_one_is_refused_with_503() {
    let _serial = serial();
    let server = start(Limits {
        max_connections: 2,
        ..Limits::default()
    });
    let port = server.addr().port();
    // Event streams are busy connections: none of them is closed to make room.
    let (first, _) = open_events(port);
    let (_second, _) = open_events(port);
    assert_eq!(
        ask(port, GET_PAGE),
        pair("HTTP/1.1 503 Service Unavailable", BUSY)
    );
    // A page closed: its place is free once the server has seen it go.
    drop(first);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (status, body) = ask(port, GET_PAGE);
        if status == "HTTP/1.1 200 OK" {
            break;
        }
        assert_eq!(
            pair(&status, &body),
            pair("HTTP/1.1 503 Service Unavailable", BUSY)
        );
        assert!(
            Instant::now() < deadline,
            "the closed page's place stayed taken"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn past_the_stream_cap_events_get_503() {
    let _serial = serial();
    let server = start(Limits {
        max_streams: 1,
        ..Limits::default()
    });
    let port = server.addr().port();
    let (_open, event) = open_events(port);
    assert!(
        event.starts_with("event: build\ndata: {\"generation\":0,"),
        "{event}"
    );
    assert_eq!(
        ask(
            port,
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ),
        pair("HTTP/1.1 503 Service Unavailable", TOO_MANY_PAGES)
    );
}

#[test]
fn oversized_malformed_and_foreign_requests_get_their_status() {
    let _serial = serial();
    let server = start(Limits::default());
    let port = server.addr().port();
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {}\r\n\r\n",
        "a".repeat(17 * 1024)
    );
    assert_eq!(
        ask(port, &big),
        pair("HTTP/1.1 431 Request Header Fields Too Large", TOO_LARGE)
    );
    let many: String = (0..65).map(|n| format!("X-{n}: 1\r\n")).collect();
    assert_eq!(
        ask(
            port,
            &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n")
        ),
        pair("HTTP/1.1 431 Request Header Fields Too Large", TOO_LARGE)
    );
    assert_eq!(
        ask(port, "\u{16}\u{3}\u{1} hello\r\n\r\n"),
        pair("HTTP/1.1 400 Bad Request", BAD_REQUEST)
    );
    // Two Host headers: which one decided is anyone's guess, so neither does.
    assert_eq!(
        ask(
            port,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n"
        ),
        pair("HTTP/1.1 400 Bad Request", BAD_REQUEST)
    );
    // A name that resolves to 127.0.0.1 for a page elsewhere (DNS rebinding).
    assert_eq!(
        ask(
            port,
            "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
        pair("HTTP/1.1 403 Forbidden", "wrong host\n")
    );
    let mut post = connect(port);
    post.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi")
        .expect("sends");
    let answer = String::from_utf8(until_closed(&mut post)).expect("text");
    assert!(
        answer.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
        "{answer}"
    );
    assert!(answer.contains("\r\nAllow: GET, HEAD\r\n"), "{answer}");
    assert!(answer.ends_with("\r\n\r\nonly GET\n"), "{answer}");
}

#[test]
fn a_page_that_never_reads_its_events_is_dropped_and_the_others_keep_theirs() {
    let _serial = serial();
    let server = start(Limits {
        send_timeout: Duration::from_millis(300),
        max_streams: 2,
        ..Limits::default()
    });
    let port = server.addr().port();
    let (mut stalled, _) = open_events(port);
    let (reading, _) = open_events(port);
    let generations = follow(reading);

    // 32 events of 1 MiB each: more than the buffers of a socket that is never read (its
    // receive buffer grows only as it is read; Linux lets a send buffer grow to 4 MiB).
    let message = "x".repeat(1 << 20);
    for generation in 1..=32 {
        server.update(&failure(&message));
        wait_for(&generations, generation);
    }
    // The stalled page took nothing for the send timeout, and was dropped: its place is free
    // for a new page. Until then a new page is refused, and told why.
    let deadline = Instant::now() + PATIENCE;
    let _third = loop {
        let mut stream = connect(port);
        stream
            .write_all(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("asks for events");
        let mut head = [0; 15];
        stream.read_exact(&mut head).expect("a status line");
        if &head == b"HTTP/1.1 200 OK" {
            break stream;
        }
        let mut answer = head.to_vec();
        answer.extend(until_closed(&mut stream));
        assert_eq!(
            split(&answer),
            pair("HTTP/1.1 503 Service Unavailable", TOO_MANY_PAGES)
        );
        assert!(
            Instant::now() < deadline,
            "the stalled page was never dropped"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // What the stalled page sees when it reads at last: what the buffers held, then the end of
    // the stream, far short of the events sent since.
    let seen = String::from_utf8_lossy(&until_closed(&mut stalled)).into_owned();
    let events = seen.matches("event: build\n").count();
    assert!(
        (1..32).contains(&events),
        "{events} events reached the stalled page"
    );
    // The page that reads still gets every event.
    server.update(&failure("the next one"));
    wait_for(&generations, 33);
}

// ---- `vitae watch --serve`, end to end ----

/// The `vitae watch` child, killed when the test ends however it ends.
struct Watching(Child);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `vitae watch --serve` on a copy of `data/resume.yaml`; the child and its port, once
/// the first build is served.
fn watch_serve(dir: &Path) -> (Watching, u16) {
    let file = dir.join("resume.yaml");
    std::fs::copy(common::root().join("data/resume.yaml"), &file).expect("copies the résumé");
    let child = Command::new(env!("CARGO_BIN_EXE_vitae"))
        .args(["watch", "--serve", "127.0.0.1:0", "-f", "txt"])
        .arg(&file)
        .arg("-o")
        .arg(dir.join("out"))
        .current_dir(dir)
        .stdout(Stdio::piped())
        // Never read: a full pipe would stop the child.
        .stderr(Stdio::null())
        .spawn()
        .expect("vitae watch starts");
    let mut child = Watching(child);
    let stdout = child.0.stdout.take().expect("stdout");
    // Read on a thread, so that a silent child cannot hang the test.
    let (send, lines) = channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let mut port = None;
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .expect("vitae watch prints its address, then builds");
        if let Some(url) = line.strip_prefix("serving the preview at http://127.0.0.1:") {
            port = url.trim_end_matches('/').parse().ok();
        }
        if line.starts_with("built ") {
            break;
        }
    }
    (child, port.expect("the address was printed"))
}

#[test]
fn vitae_watch_serve_holds_half_sent_requests_without_threads_and_times_them_out() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (child, port) = watch_serve(dir.path());
    let task = format!("/proc/{}/task", child.0.id());
    let threads = || std::fs::read_dir(&task).expect("the child's tasks").count();
    let before = threads();

    let mut half: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = connect(port);
            stream.write_all(HALF_A_REQUEST).expect("sends half");
            stream
        })
        .collect();
    let (status, page) = ask(port, GET_PAGE);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(page.contains("/page/1.svg"), "{page}");
    let during = threads();
    assert!(
        during <= before,
        "{before} threads before, {during} with 200 half-sent requests open"
    );

    // The oldest made room (503); the newest are cut at the header timeout (408).
    let closed = half.len() - (Limits::default().max_connections - 1);
    for (i, stream) in half.iter_mut().enumerate() {
        let expected = if i < closed {
            pair("HTTP/1.1 503 Service Unavailable", BUSY)
        } else {
            pair("HTTP/1.1 408 Request Timeout", TOO_SLOW)
        };
        assert_eq!(split(&until_closed(stream)), expected, "connection {i}");
    }
    // And the preview still answers.
    assert_eq!(ask(port, GET_PAGE).0, "HTTP/1.1 200 OK");
}
