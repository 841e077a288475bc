//! What a request asks for, and the bytes of the answers: shared by both execution styles.

use crate::ffi::Request;

/// The routes of the example.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Route {
    /// `GET /hello` (or HEAD).
    Hello,
    /// `GET /stream?lines=N`: N lines, each written once the previous one was taken.
    Stream {
        lines: usize,
    },
    /// A body sent to `/upload`: read whole, answered with its length and FNV-1a hash.
    Upload,
    /// A body sent to `/echo`: sent back while it is read.
    Echo,
    /// `/panic`: `handle` panics.
    Panic,
    /// A body sent to `/panic-in-read`: the read callback panics.
    PanicInRead,
    NotFound,
}

impl Route {
    /// # Safety
    /// `request` must be the request `handle` received, before `finish`.
    pub unsafe fn of(request: &Request) -> Route {
        let method = request.request_method.as_slice();
        let path = request.path_info.as_slice();
        let has_body = request.body_length != 0;
        match (path, has_body) {
            (b"/hello", false) if method == b"GET" || method == b"HEAD" => Route::Hello,
            (b"/stream", false) => Route::Stream {
                lines: lines(request.query_string.as_slice()),
            },
            (b"/upload", true) => Route::Upload,
            (b"/echo", true) => Route::Echo,
            (b"/panic", _) => Route::Panic,
            (b"/panic-in-read", true) => Route::PanicInRead,
            _ => Route::NotFound,
        }
    }
}

/// `lines=N` in a query string; 10 by default, at most a million.
fn lines(query: &[u8]) -> usize {
    let value = query
        .split(|byte| *byte == b'&')
        .find_map(|pair| pair.strip_prefix(b"lines="));
    let number = value.and_then(|digits| std::str::from_utf8(digits).ok()?.parse::<usize>().ok());
    number.unwrap_or(10).min(1_000_000)
}

pub const HELLO: &[u8] = b"Hello world from Rust!\n";
pub const NOT_FOUND: &[u8] = b"not found\n";

/// Line `number` (from 1) of `/stream`.
pub fn line(number: usize) -> String {
    format!("line {number}\n")
}

/// What `/upload` answers.
pub fn upload_answer(received: u64, hash: &Fnv1a) -> String {
    format!("read {received} bytes, fnv1a64 {:016x}\n", hash.value())
}

/// The 64-bit FNV-1a hash of the bytes seen so far: proof that an upload arrived intact.
#[derive(Clone, Copy)]
pub struct Fnv1a(u64);

impl Fnv1a {
    pub const fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    pub fn update(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn value(&self) -> u64 {
        self.0
    }
}
