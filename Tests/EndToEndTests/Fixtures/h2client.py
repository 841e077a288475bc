"""A scripted HTTP/2 client (python3-h2) for the end-to-end tests: each scenario speaks h2 over a
real socket to a running swiftserve and prints one JSON object with what it saw.

    h2client.py PORT SCENARIO [ARG]   (h2c prior knowledge; TLS with --tls; a PROXY protocol v1
                                      header first with --proxy-v1)
"""
import json
import socket
import ssl
import sys

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings


PROXY_V1 = b"PROXY TCP4 198.51.100.7 192.0.2.10 51000 443\r\n"


def connect(port, tls, proxy=False):
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    if proxy:
        sock.sendall(PROXY_V1)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_alpn_protocols(["h2"])
        sock = context.wrap_socket(sock, server_hostname="localhost")
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


def headers(path, method="GET", extra=()):
    return [(":method", method), (":path", path), (":scheme", "http"), (":authority", "example.test:8443")] + list(extra)


def pump(sock, conn, until, limit=2000):
    """Reads events until `until(events)` says stop; returns all events, and whether the socket closed."""
    seen = []
    pending = b""
    for _ in range(limit):
        try:
            data = sock.recv(65536)
        except socket.timeout:
            # Not closed: the server said nothing more.
            return seen, False
        except (ConnectionResetError, ssl.SSLError, OSError):
            return seen, True
        if not data:
            return seen, True
        # Frame by frame, so that the events of a GOAWAY survive an error on the frames after it.
        pending += data
        events = []
        try:
            while True:
                if len(pending) < 9:
                    break
                size = 9 + int.from_bytes(pending[0:3], "big")
                if len(pending) < size:
                    break
                frame, pending = pending[:size], pending[size:]
                if frame[3] == 0x7:
                    # GOAWAY, read here too: h2 hears only the first of a graceful stop's two.
                    last = int.from_bytes(frame[9:13], "big") & 0x7FFFFFFF
                    conn.goaways = getattr(conn, "goaways", []) + [(int.from_bytes(frame[13:17], "big"), last)]
                events.extend(conn.receive_data(frame))
                if frame[3] == 0x7 and conn.goaways[-1] == (0, 0x7FFFFFFF):
                    # h2 takes every GOAWAY as the end; the first of a graceful stop's two is a
                    # warning (RFC 9113 §6.8), after which the streams in flight still come.
                    conn.state_machine.state = h2.connection.ConnectionState.CLIENT_OPEN
        except h2.exceptions.ProtocolError:
            # What the server sent after closing its side; the connection is over.
            seen.extend(events)
            return seen, True
        for event in events:
            if isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        seen.extend(events)
        out = conn.data_to_send()
        if out:
            try:
                sock.sendall(out)
            except OSError:
                return seen, True
        if until(seen):
            return seen, False
    return seen, False


def responses(events):
    """Per stream: status, headers and body."""
    streams = {}
    for event in events:
        if isinstance(event, h2.events.ResponseReceived):
            streams.setdefault(event.stream_id, {"body": b""})["headers"] = dict(event.headers)
        elif isinstance(event, h2.events.DataReceived):
            streams.setdefault(event.stream_id, {"body": b""})["body"] += event.data
        elif isinstance(event, h2.events.StreamEnded):
            streams.setdefault(event.stream_id, {"body": b""})["ended"] = True
        elif isinstance(event, h2.events.StreamReset):
            streams.setdefault(event.stream_id, {"body": b""})["reset"] = int(event.error_code)
    return streams


def goaway(events):
    for event in events:
        if isinstance(event, h2.events.ConnectionTerminated):
            return int(event.error_code)
    return None


def concurrent(sock, conn, count):
    """`count` GET streams at once on one connection: each must end with its own answer."""
    ids = []
    for index in range(count):
        stream = conn.get_next_available_stream_id()
        conn.send_headers(stream, headers("/concurrent/%d" % index), end_stream=True)
        ids.append(stream)
    sock.sendall(conn.data_to_send())
    events, closed = pump(sock, conn, lambda e: sum(isinstance(x, h2.events.StreamEnded) for x in e) >= count)
    streams = responses(events)
    return {
        "answered": sum(1 for s in ids if streams.get(s, {}).get("ended")),
        "paths": sorted(json.loads(streams[s]["body"])["PATH_INFO"] for s in ids if s in streams and streams[s].get("ended")),
    }


def upload(sock, conn, size):
    """POSTs `size` bytes in flow-controlled DATA frames and reads the echo back."""
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers("/upload", "POST", [("content-type", "application/octet-stream")]))
    payload = bytes((i * 7) % 251 for i in range(size))
    sent = 0
    received = b""
    ended = False
    while not ended:
        window = min(conn.local_flow_control_window(stream), conn.max_outbound_frame_size)
        if sent < size and window > 0:
            chunk = payload[sent : sent + window]
            sent += len(chunk)
            conn.send_data(stream, chunk, end_stream=sent == size)
            sock.sendall(conn.data_to_send())
            continue
        data = sock.recv(65536)
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.DataReceived):
                received += event.data
                conn.acknowledge_received_data(event.flow_controlled_length, stream)
            elif isinstance(event, h2.events.StreamEnded):
                ended = True
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
    return {"sent": sent, "received": len(received), "same": received == payload, "ended": ended}


def rapid_reset(sock, conn, count):
    """CVE-2023-44487: opens and at once resets `count` streams; the server must close the connection."""
    for _ in range(count):
        stream = conn.get_next_available_stream_id()
        conn.send_headers(stream, headers("/slow", extra=[]), end_stream=True)
        conn.reset_stream(stream)
        try:
            sock.sendall(conn.data_to_send())
        except OSError:
            break
    events, closed = pump(sock, conn, lambda e: goaway(e) is not None)
    return {"goaway": goaway(events), "closed": closed or goaway(events) is not None}


def continuation_flood(sock, conn, count):
    """CVE-2024-27316: a HEADERS frame without END_HEADERS, then endless CONTINUATION frames."""
    stream = conn.get_next_available_stream_id()
    block = conn.encoder.encode(headers("/"))
    frame = lambda kind, flags, payload: len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload
    sock.sendall(frame(0x1, 0x0, block))
    filler = conn.encoder.encode([("x-filler", "a" * 200)])
    sent = 0
    try:
        for _ in range(count):
            sock.sendall(frame(0x9, 0x0, filler))
            sent += 1
    except OSError:
        pass
    events, closed = pump(sock, conn, lambda e: goaway(e) is not None)
    return {"sent": sent, "goaway": goaway(events), "closed": closed or goaway(events) is not None}


def big_headers(sock, conn, size):
    """One header field of `size` bytes: over the header list limit, the server refuses it."""
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers("/", extra=[("x-big", "b" * size)]), end_stream=True)
    sock.sendall(conn.data_to_send())
    events, closed = pump(sock, conn, lambda e: goaway(e) is not None or any(isinstance(x, (h2.events.StreamEnded, h2.events.StreamReset)) for x in e))
    streams = responses(events)
    state = streams.get(stream, {})
    return {"goaway": goaway(events), "closed": closed, "reset": state.get("reset"), "status": state.get("headers", {}).get(":status")}


def too_many_streams(sock, conn, count):
    """Opens `count` streams that wait on a slow answer: those over the limit are refused."""
    advertised = conn.remote_settings.max_concurrent_streams
    # h2 itself refuses to open more than the server's SETTINGS allow: make it believe in more.
    conn.remote_settings._settings[h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS] = __import__("collections").deque([count + 1])
    ids = []
    for _ in range(count):
        stream = conn.get_next_available_stream_id()
        conn.send_headers(stream, headers("/slow", extra=[]), end_stream=True)
        ids.append(stream)
    try:
        sock.sendall(conn.data_to_send())
    except OSError:
        pass
    events, closed = pump(sock, conn, lambda e: sum(isinstance(x, (h2.events.StreamEnded, h2.events.StreamReset)) for x in e) >= count or goaway(e) is not None)
    streams = responses(events)
    return {
        "advertised": advertised,
        "answered": sum(1 for s in ids if streams.get(s, {}).get("ended")),
        "refused": sum(1 for s in ids if streams.get(s, {}).get("reset") is not None),
        "goaway": goaway(events),
    }


def stalled_body(sock, conn, _):
    """A POST whose body never comes: the server gives up on the stream, and says so."""
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers("/upload", "POST", [("content-type", "text/plain")]))
    sock.sendall(conn.data_to_send())
    events, closed = pump(sock, conn, lambda e: any(isinstance(x, (h2.events.StreamEnded, h2.events.StreamReset)) and x.stream_id == stream for x in e))
    state = responses(events).get(stream, {})
    return {"status": state.get("headers", {}).get(":status"), "reset": state.get("reset"), "ended": state.get("ended", False), "closed": closed}


def zero_window(sock, conn, size):
    """Asks for `size` bytes and never opens its window: the server resets the stream."""
    conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers("/bytes?n=%d" % size), end_stream=True)
    sock.sendall(conn.data_to_send())
    seen = []
    closed = False
    while not any(isinstance(x, h2.events.StreamReset) for x in seen):
        data = sock.recv(65536)
        if not data:
            closed = True
            break
        seen.extend(conn.receive_data(data))
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
    state = responses(seen).get(stream, {})
    return {"status": state.get("headers", {}).get(":status"), "reset": state.get("reset"), "received": len(state.get("body", b"")), "closed": closed}


def load(port, tls, progress, stop):
    """Requests `/` one after another, on one connection until the server sends GOAWAY, then on a
    new one, until the file `stop` exists (at most 60 s), writing the count answered to the file
    `progress`: counts answers and failures. A request the server says it did not process (past
    the GOAWAY's last stream, or refused) is retried, as RFC 9113 §6.8 and §8.7 allow; any other
    loss is a failure."""
    import os
    import time

    answered = failed = connections = retried = 0
    bodies = set()
    failures = []
    deadline = time.time() + 60
    while not os.path.exists(stop) and time.time() < deadline:
        sock, conn = connect(port, tls)
        connections += 1
        open_connection = True
        while open_connection and not os.path.exists(stop) and time.time() < deadline:
            stream = conn.get_next_available_stream_id()
            conn.send_headers(stream, headers("/"), end_stream=True)
            try:
                sock.sendall(conn.data_to_send())
            except OSError:
                break  # closed before the request went out: not sent, so retried
            def settled(events, stream=stream):
                for x in events:
                    if isinstance(x, (h2.events.StreamEnded, h2.events.StreamReset)) and x.stream_id == stream:
                        return True
                    # A first GOAWAY may name the highest stream id: the stream is still served.
                    if isinstance(x, h2.events.ConnectionTerminated) and (x.last_stream_id or 0) < stream:
                        return True
                return False

            events, closed = pump(sock, conn, settled)
            state = responses(events).get(stream, {})
            terminated = [x for x in events if isinstance(x, h2.events.ConnectionTerminated)]
            goaways = getattr(conn, "goaways", [])
            if state.get("ended") and state.get("headers", {}).get(":status") == "200":
                answered += 1
                bodies.add(state["body"].decode())
            # A GOAWAY's last stream id may only fall (RFC 9113 §6.8): the lowest one holds.
            elif (goaways and stream > min(last for _, last in goaways)) or state.get("reset") == 0x7:
                retried += 1  # not processed (past the GOAWAY, or REFUSED_STREAM, §8.7): retried
            else:
                failed += 1
                if len(failures) < 5:
                    failures.append({"stream": stream, "state": {k: v for k, v in state.items() if k != "body"}, "closed": closed, "goaway": goaways, "events": [type(x).__name__ for x in events]})
            if terminated or closed:
                open_connection = False
            # Replaced whole, so that a reader never sees it empty.
            with open(progress + ".new", "w") as f:
                f.write("%d %d %d %d %s\n" % (answered, failed, retried, connections, failures[-1:] if failures else ""))
            os.replace(progress + ".new", progress)
        sock.close()
    return {"answered": answered, "failed": failed, "retried": retried, "connections": connections, "bodies": sorted(bodies), "failures": failures}


def late_request(sock, conn, seconds):
    """Waits `seconds` on an open connection, then asks for `/`: its answer, or the GOAWAY."""
    import time

    time.sleep(seconds)
    stream = conn.get_next_available_stream_id()
    try:
        conn.send_headers(stream, headers("/"), end_stream=True)
        sock.sendall(conn.data_to_send())
    except OSError:
        return {"status": None, "closed": True}
    events, closed = pump(sock, conn, lambda e: any(isinstance(x, (h2.events.StreamEnded, h2.events.StreamReset, h2.events.ConnectionTerminated)) for x in e))
    state = responses(events).get(stream, {})
    return {"status": state.get("headers", {}).get(":status"), "closed": closed, "goaway": goaway(events)}


def idle(sock, conn, _):
    """Asks for `/` once, then waits without a word: the answer, how long until the server closed
    (or the socket's 20 s timeout), and the GOAWAYs it sent."""
    import time

    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers("/"), end_stream=True)
    sock.sendall(conn.data_to_send())
    ended = lambda e: any(isinstance(x, h2.events.StreamEnded) and x.stream_id == stream for x in e)
    events, _ = pump(sock, conn, ended)
    status = responses(events).get(stream, {}).get("headers", {}).get(":status")
    answered = time.time()
    _, closed = pump(sock, conn, lambda e: False)
    return {"status": status, "closed": closed, "seconds": time.time() - answered, "goaway": getattr(conn, "goaways", [])}


class HeldTLS:
    """A TLS client over a memory BIO, so that its handshake can stop short: it sends the
    ClientHello and reads the server's reply, but holds its own last flight, without which the
    server has not chosen a protocol by ALPN yet."""

    def __init__(self, port):
        self.raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_alpn_protocols(["h2"])
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname="localhost")
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.raw.sendall(self.outgoing.read())
                data = self.raw.recv(65536)
                if not data:
                    raise ConnectionResetError("closed during the handshake")
                self.incoming.write(data)

    def finish_handshake(self):
        self.raw.sendall(self.outgoing.read())

    def sendall(self, data):
        self.tls.write(data)
        self.raw.sendall(self.outgoing.read())

    def recv(self, size):
        while True:
            try:
                return self.tls.read(size)
            except ssl.SSLWantReadError:
                data = self.raw.recv(65536)
                if not data:
                    return b""
                self.incoming.write(data)
            except ssl.SSLZeroReturnError:
                return b""

    def close(self):
        self.raw.close()


def held_handshake(port, go):
    """Holds the TLS handshake short of choosing the protocol (writing `go`.held once the server
    has answered, so it has the connection), until the file `go` exists; then finishes it and
    asks for `/` over h2: the answer, the GOAWAYs, and whether the server then closed."""
    import os
    import time

    sock = HeldTLS(port)
    open(go + ".held", "w").close()
    deadline = time.time() + 30
    while not os.path.exists(go) and time.time() < deadline:
        time.sleep(0.02)
    sock.finish_handshake()
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers("/"), end_stream=True)
    sock.sendall(conn.data_to_send())
    events, closed = pump(sock, conn, lambda e: False)
    state = responses(events).get(stream, {})
    sock.close()
    return {"status": state.get("headers", {}).get(":status"), "goaway": getattr(conn, "goaways", []), "closed": closed}


def environ(sock, conn, _):
    """Asks for `/` once: the environ the `environ` example answers with."""
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers("/"), end_stream=True)
    sock.sendall(conn.data_to_send())
    ended = lambda e: any(isinstance(x, h2.events.StreamEnded) and x.stream_id == stream for x in e)
    events, closed = pump(sock, conn, ended)
    state = responses(events).get(stream, {})
    return json.loads(state["body"]) if state.get("ended") else {"closed": closed}


def main():
    port = int(sys.argv[1])
    scenario = sys.argv[2]
    argument = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else 0
    tls = "--tls" in sys.argv
    if scenario == "load":
        print(json.dumps(load(port, tls, sys.argv[3], sys.argv[4])))
        return
    if scenario == "held-handshake":
        print(json.dumps(held_handshake(port, sys.argv[3])))
        return
    sock, conn = connect(port, tls, proxy="--proxy-v1" in sys.argv)
    if scenario != "zero-window":
        conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 20})
        sock.sendall(conn.data_to_send())
    # Learn the server's settings first.
    pump(sock, conn, lambda e: any(isinstance(x, h2.events.RemoteSettingsChanged) for x in e))
    result = {
        "concurrent": concurrent,
        "upload": upload,
        "rapid-reset": rapid_reset,
        "continuation-flood": continuation_flood,
        "big-headers": big_headers,
        "too-many-streams": too_many_streams,
        "stalled-body": stalled_body,
        "zero-window": zero_window,
        "late-request": late_request,
        "idle": idle,
        "environ": environ,
    }[scenario](sock, conn, argument)
    print(json.dumps(result))
    sock.close()


if __name__ == "__main__":
    main()
