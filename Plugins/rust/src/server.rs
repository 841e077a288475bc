//! The server as the rest of the crate calls it: one request's call handle with the operations
//! table, and the guard that keeps panics on this side of the boundary.

use crate::ffi::{Bytes, Call, Cleanup, Header, ReadDone, ServerOps, WriteDone};
use core::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One request's handle and the server's operations (valid from `handle` until `finish` returns).
#[derive(Clone, Copy)]
pub struct Server {
    call: *mut Call,
    ops: &'static ServerOps,
}

impl Server {
    /// # Safety
    /// `call` and `ops` must be what the server passed to `handle`; the table lives as long as
    /// the process (SPEC §13).
    pub unsafe fn new(call: *mut Call, ops: *const ServerOps) -> Server {
        Server { call, ops: &*ops }
    }

    /// `start_response` with at most 4 headers, copied by the server before it returns.
    pub fn start_response(&self, status: &str, headers: &[(&str, &str)]) -> i32 {
        let empty = Header {
            name: Bytes::of(b""),
            value: Bytes::of(b""),
        };
        let mut fields = [empty; 4];
        assert!(
            headers.len() <= fields.len(),
            "start_response takes at most 4 headers here"
        );
        for (field, (name, value)) in fields.iter_mut().zip(headers) {
            *field = Header {
                name: Bytes::of(name.as_bytes()),
                value: Bytes::of(value.as_bytes()),
            };
        }
        unsafe {
            (self.ops.start_response)(
                self.call,
                Bytes::of(status.as_bytes()),
                fields.as_ptr(),
                headers.len(),
                0,
            )
        }
    }

    /// `write`; `done` runs once, maybe before this returns, when the server can take more.
    pub fn write(&self, bytes: &[u8], done: Option<WriteDone>, context: *mut c_void) -> i32 {
        unsafe { (self.ops.write)(self.call, Bytes::of(bytes), done, context) }
    }

    /// `read` of the server's choice of length; `done` runs once, maybe before this returns.
    pub fn read(&self, done: ReadDone, context: *mut c_void) -> i32 {
        unsafe { (self.ops.read)(self.call, 0, done, context) }
    }

    /// `finish`; the handle is invalid once it returns, and `cleanup` may run before it does.
    pub fn finish(&self, outcome: i32, cleanup: Option<Cleanup>, context: *mut c_void) -> i32 {
        unsafe { (self.ops.finish)(self.call, outcome, cleanup, context) }
    }

    /// The operations table, which outlives the request: for `log_outside` after `finish`.
    pub fn ops(&self) -> &'static ServerOps {
        self.ops
    }

    /// `log_error` tagged with this request: only until `finish` is called.
    pub fn log(&self, message: &str) {
        unsafe { (self.ops.log_error)(self.call, Bytes::of(message.as_bytes())) }
    }
}

/// `log_error` outside a request (startup, shutdown, after `finish`).
pub fn log_outside(ops: &ServerOps, message: &str) {
    unsafe { (ops.log_error)(core::ptr::null_mut(), Bytes::of(message.as_bytes())) }
}

/// Fails `startup`: writes `reason`, NUL-terminated, into the server's `error` buffer within its
/// `capacity` (SPEC §4), and returns the failure status.
///
/// # Safety
/// `error` and `capacity` must be what the server passed to `startup`.
pub unsafe fn startup_failed(error: *mut c_char, capacity: usize, reason: &str) -> i32 {
    if capacity > 0 {
        let length = reason.len().min(capacity - 1);
        core::ptr::copy_nonoverlapping(reason.as_ptr(), error as *mut u8, length);
        *error.add(length) = 0;
    }
    1
}

/// Runs `body` and catches a panic in it, so that no unwinding crosses into the server (since
/// Rust 1.81 a panic that reaches an `extern "C"` function aborts the process). Every function
/// the server calls runs its work through this; the error is the panic's message.
pub fn catching<R>(body: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(body)).map_err(|payload| {
        if let Some(text) = payload.downcast_ref::<&str>() {
            (*text).to_string()
        } else if let Some(text) = payload.downcast_ref::<String>() {
            text.clone()
        } else {
            "a panic without a message".to_string()
        }
    })
}
