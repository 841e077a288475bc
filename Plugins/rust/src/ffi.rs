//! The SSGI 1.0 C ABI of `Sources/CSSGI/include/ssgi.h`, declared once for Rust.
//!
//! Every struct is `#[repr(C)]` with the header's fields in the header's order. The constants
//! have the integer types of the fields and parameters that carry them (the header's anonymous
//! enums): flags and execution modes `u32`, result codes and finish outcomes `i32`. The layout
//! is checked against the header's (docs/SPEC.md §3.5) when the crate compiles: a field out of
//! place fails the build, not a request.
//!
//! Function pointers the header says are never NULL in SSGI 1.0 (`handle`, every operation of
//! `ssgi_server_ops`, the `done` of `read`) are plain `fn` types; those that may be NULL are
//! `Option<fn>`, which has the same layout.

use core::ffi::{c_char, c_void};
use core::marker::{PhantomData, PhantomPinned};

/// `SSGI_MAGIC`: the ASCII bytes "SSGI" read as a big-endian number.
pub const SSGI_MAGIC: u32 = 0x5353_4749;
/// `SSGI_ABI_MAJOR` and `SSGI_ABI_MINOR` of the header this file follows.
pub const SSGI_ABI_MAJOR: u16 = 1;
pub const SSGI_ABI_MINOR: u16 = 0;

/// Bits of `Request::flags` and `ServerInfo::flags`.
pub const SSGI_FLAG_MULTITHREAD: u32 = 1 << 0;
pub const SSGI_FLAG_MULTIPROCESS: u32 = 1 << 1;
pub const SSGI_FLAG_RUN_ONCE: u32 = 1 << 2;

/// Result codes of the operations and statuses of the callbacks.
pub const SSGI_OK: i32 = 0;
pub const SSGI_E_ALREADY_STARTED: i32 = -1;
pub const SSGI_E_HEADERS_SENT: i32 = -2;
pub const SSGI_E_INVALID_STATUS: i32 = -3;
pub const SSGI_E_INVALID_HEADER: i32 = -4;
pub const SSGI_E_HOP_BY_HOP: i32 = -5;
pub const SSGI_E_NOT_STARTED: i32 = -6;
pub const SSGI_E_FINISHED: i32 = -7;
pub const SSGI_E_DISCONNECTED: i32 = -8;
pub const SSGI_E_BAD_BODY: i32 = -9;
pub const SSGI_E_TOO_MUCH_BODY: i32 = -10;

/// Outcomes passed to `finish`.
pub const SSGI_FINISH_OK: i32 = 0;
pub const SSGI_FINISH_ERROR: i32 = 1;

/// Values of `App::execution`.
pub const SSGI_EXECUTION_INLINE: u32 = 0;
pub const SSGI_EXECUTION_CONCURRENT: u32 = 1;
pub const SSGI_EXECUTION_THREAD_POOL: u32 = 2;

/// `ssgi_bytes`: a run of bytes, not NUL-terminated; `data` may be NULL when `length` is 0.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Bytes {
    pub data: *const u8,
    pub length: usize,
}

impl Bytes {
    /// Points at `slice`, for a call that copies what it keeps (every operation does).
    pub fn of(slice: &[u8]) -> Bytes {
        Bytes {
            data: slice.as_ptr(),
            length: slice.len(),
        }
    }

    /// The bytes as a slice.
    ///
    /// # Safety
    /// `data` must point at `length` readable bytes that stay valid and unchanged for `'a`: for
    /// the request's fields, until `finish`; for the bytes of a `read` completion, during it.
    pub unsafe fn as_slice<'a>(self) -> &'a [u8] {
        if self.data.is_null() || self.length == 0 {
            &[]
        } else {
            core::slice::from_raw_parts(self.data, self.length)
        }
    }
}

/// `ssgi_header`: one header field.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Header {
    pub name: Bytes,
    pub value: Bytes,
}

/// `ssgi_request`: the request as CGI values, valid until `finish`.
#[repr(C)]
pub struct Request {
    pub struct_size: usize,
    pub request_method: Bytes,
    pub script_name: Bytes,
    pub path_info: Bytes,
    pub query_string: Bytes,
    pub content_type: Bytes,
    pub content_length: Bytes,
    pub server_name: Bytes,
    pub server_port: Bytes,
    pub server_protocol: Bytes,
    pub remote_addr: Bytes,
    pub remote_port: Bytes,
    pub url_scheme: Bytes,
    pub request_uri: Bytes,
    pub headers: *const Header,
    pub header_count: usize,
    /// The length from Content-Length, -1 for a chunked body, 0 without a body.
    pub body_length: i64,
    pub flags: u32,
}

/// `ssgi_call`: the server's opaque per-request handle, only ever used behind a pointer.
#[repr(C)]
pub struct Call {
    _opaque: [u8; 0],
    _not_send_sync_or_unpin: PhantomData<(*mut u8, PhantomPinned)>,
}

/// `ssgi_write_done`
pub type WriteDone = unsafe extern "C" fn(context: *mut c_void, status: i32);
/// `ssgi_read_done`
pub type ReadDone = unsafe extern "C" fn(context: *mut c_void, bytes: Bytes, status: i32);
/// `ssgi_cleanup`
pub type Cleanup = unsafe extern "C" fn(context: *mut c_void, status: i32);

/// `ssgi_server_ops`: the server's operations. Every 1.0 operation is present (non-NULL);
/// operations a later minor version appends exist only within `struct_size`.
#[repr(C)]
pub struct ServerOps {
    pub struct_size: usize,
    pub start_response: unsafe extern "C" fn(
        call: *mut Call,
        status: Bytes,
        headers: *const Header,
        header_count: usize,
        has_error_info: i32,
    ) -> i32,
    pub write: unsafe extern "C" fn(
        call: *mut Call,
        bytes: Bytes,
        done: Option<WriteDone>,
        done_context: *mut c_void,
    ) -> i32,
    pub read: unsafe extern "C" fn(
        call: *mut Call,
        max_length: usize,
        done: ReadDone,
        done_context: *mut c_void,
    ) -> i32,
    pub finish: unsafe extern "C" fn(
        call: *mut Call,
        outcome: i32,
        cleanup: Option<Cleanup>,
        cleanup_context: *mut c_void,
    ) -> i32,
    pub log_error: unsafe extern "C" fn(call: *mut Call, message: Bytes),
}

/// `ssgi_server_info`: what `startup` is told, valid during `startup` only (`ops` for ever).
#[repr(C)]
pub struct ServerInfo {
    pub struct_size: usize,
    pub server_software: *const c_char,
    pub abi_major: u16,
    pub abi_minor: u16,
    pub flags: u32,
    pub ops: *const ServerOps,
}

/// `startup`: returns 0, or non-zero with a NUL-terminated reason in `error`.
pub type Startup = unsafe extern "C" fn(
    context: *mut c_void,
    info: *const ServerInfo,
    error: *mut c_char,
    error_capacity: usize,
) -> i32;
/// `handle`: one call per request, on a server I/O thread.
pub type Handle = unsafe extern "C" fn(
    context: *mut c_void,
    request: *const Request,
    call: *mut Call,
    ops: *const ServerOps,
);
/// `shutdown`
pub type Shutdown = unsafe extern "C" fn(context: *mut c_void);

/// `ssgi_app`: the descriptor an entry point returns, alive as long as the process.
#[repr(C)]
pub struct App {
    pub magic: u32,
    pub abi_major: u16,
    pub abi_minor: u16,
    pub struct_size: usize,
    pub name: *const c_char,
    pub sdk_version: *const c_char,
    pub compiler: *const c_char,
    pub execution: u32,
    pub context: *mut c_void,
    pub startup: Option<Startup>,
    pub handle: Handle,
    pub shutdown: Option<Shutdown>,
}

// A descriptor lives in a `static`, which must be `Sync`; its raw pointers keep it from being so
// by itself. It is never written after it is built, and the server only reads it.
unsafe impl Sync for App {}

/// `ssgi_entry_point`: `#[no_mangle] pub extern "C" fn app() -> *const App`.
pub type EntryPoint = extern "C" fn() -> *const App;

/// Fails the build when a type's size, alignment or a field's offset differs from the C header's
/// on LP64 platforms (docs/SPEC.md §3.5).
macro_rules! check_layout {
    ($type:ty, size $size:expr, align $align:expr $(, $field:ident at $offset:expr)* $(,)?) => {
        const _: () = {
            assert!(core::mem::size_of::<$type>() == $size, concat!("size of ", stringify!($type)));
            assert!(core::mem::align_of::<$type>() == $align, concat!("alignment of ", stringify!($type)));
            $(assert!(
                core::mem::offset_of!($type, $field) == $offset,
                concat!("offset of ", stringify!($type), ".", stringify!($field))
            );)*
        };
    };
}

#[cfg(target_pointer_width = "64")]
mod layout {
    use super::*;

    check_layout!(Bytes, size 16, align 8, data at 0, length at 8);
    check_layout!(Header, size 32, align 8, name at 0, value at 16);
    check_layout!(
        Request, size 248, align 8,
        struct_size at 0, request_method at 8, script_name at 24, path_info at 40, query_string at 56,
        content_type at 72, content_length at 88, server_name at 104, server_port at 120,
        server_protocol at 136, remote_addr at 152, remote_port at 168, url_scheme at 184,
        request_uri at 200, headers at 216, header_count at 224, body_length at 232, flags at 240,
    );
    check_layout!(
        ServerOps, size 48, align 8,
        struct_size at 0, start_response at 8, write at 16, read at 24, finish at 32, log_error at 40,
    );
    check_layout!(
        ServerInfo, size 32, align 8,
        struct_size at 0, server_software at 8, abi_major at 16, abi_minor at 18, flags at 20, ops at 24,
    );
    check_layout!(
        App, size 80, align 8,
        magic at 0, abi_major at 4, abi_minor at 6, struct_size at 8, name at 16, sdk_version at 24,
        compiler at 32, execution at 40, context at 48, startup at 56, handle at 64, shutdown at 72,
    );
    // A nullable function pointer is one pointer wide, as in C.
    const _: () = assert!(core::mem::size_of::<Option<WriteDone>>() == 8);
}
