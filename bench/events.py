#!/usr/bin/python3
"""Live-update latency of GET /api/events (the web section of `make bench`,
bench/web.sh, runs it with 200 clients; it also runs alone).

    bench/events.py [--bin build/bin/cruddur] [--clients 200] [--messages 50]
                    [--poll-ms 250] [--facts FILE]

Starts its own `cruddur serve --in-memory` on free ports of 127.0.0.1
(stopped by PID at the end), signs the two dev users of the seeded
conversation in, opens CLIENTS event streams (half each user), then POSTs
MESSAGES messages into that conversation one after another (a pause of
100-300 ms between them). For every message and every stream: the time from
the POST's answer to the event's arrival, as one separate process reading
every stream with epoll sees it (Python threads sharing one interpreter lock
with the POSTs would time their own queueing instead). Prints p50/p99 of that, and the
POST's own p50/p99 in the same run. --facts FILE: also writes them as
key=value lines (events_*) for bench/web.py's report.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import select
import signal
import socket
import subprocess
import struct
import sys
import tempfile
import threading
import time

# Linux's SO_TIMESTAMPNS (asm-generic/socket.h; Python's socket module has no
# name for it): a receive timestamp as a struct timespec in each recvmsg.
SO_TIMESTAMPNS = SCM_TIMESTAMPNS = 35

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
GROUP = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"  # the seeded conversation
USERS = ["andrew@exampro.co", "bayko@exampro.co"]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def start_serve(binary, poll_ms):
    data = tempfile.mkdtemp(prefix="bench-events-")
    args = [binary, "serve", "--host", "127.0.0.1", "--api-port", "0", "--ddb-port", "0",
            "--no-web", "--in-memory", "--data", data, "--no-throttling",
            "--events-poll-ms", str(poll_ms)]
    env = dict(os.environ, AWS_DEFAULT_REGION="us-east-1")
    for k in ("AWS_ENDPOINT_URL", "CONNECTION_URL", "DDB_MESSAGE_TABLE", "AWS_COGNITO_USER_POOL_ID",
              "AWS_COGNITO_USER_POOL_CLIENT_ID"):
        env.pop(k, None)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    ready = None
    for line in proc.stdout:
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("event") == "ready":
            ready = ev
            break
    if not ready:
        proc.kill()
        sys.exit("cruddur serve did not start")
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return proc, ready["api"], ready["dynamodb"]


def sign_in(ddb_url, email):
    import boto3

    idp = boto3.client("cognito-idp", endpoint_url=ddb_url, region_name="us-east-1",
                       aws_access_key_id="local", aws_secret_access_key="local")
    r = idp.initiate_auth(ClientId="cruddurlocalclient", AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": email, "PASSWORD": "Cruddur1!"})
    return r["AuthenticationResult"]["AccessToken"]


def listen(port, tokens, clients, ready_q, out_q, seconds):
    """The CLIENTS event streams, read by this one process with epoll (a
    process of its own: the POSTing side shares no interpreter lock with it,
    so an event's 200 arrivals are timed when the kernel has them, not when
    200 Python threads get their turn). An arrival is the time the kernel
    received the bytes (SO_TIMESTAMPNS on the TCP socket, its last segment
    read): reading 200 sockets one after another in Python takes milliseconds
    of its own, which are the reader's, not the server's. Puts
    {uuid: [(kernel arrival, read by us)]}."""
    socks, ep = {}, select.epoll()
    for i in range(clients):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  f"Authorization: Bearer {tokens[i % 2]}\r\n\r\n".encode())
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setblocking(False)
        socks[s.fileno()] = [s, b"", False]
        ep.register(s.fileno(), select.EPOLLIN)
    arrivals, ready, deadline = {}, 0, time.time() + seconds
    while time.time() < deadline:
        for fd, _ in ep.poll(0.5):
            now = time.time()
            st = socks[fd]
            try:
                data, ancillary, _, _ = st[0].recvmsg(65536, socket.CMSG_SPACE(16))
            except BlockingIOError:
                continue
            kernel = now
            for level, kind, raw in ancillary:
                if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS and len(raw) >= 16:
                    sec, nsec = struct.unpack("qq", raw[:16])
                    kernel = sec + nsec / 1e9
            if not data:
                ep.unregister(fd)
                continue
            st[1] += data
            while b"\n\n" in st[1]:
                block, st[1] = st[1].split(b"\n\n", 1)
                if b"event: heartbeat" in block and not st[2]:
                    st[2] = True
                    ready += 1
                    if ready == clients:
                        ready_q.put(True)
                if b"event: message" in block:
                    line = block[block.index(b"data: ") + 6:].split(b"\r\n")[0]
                    arrivals.setdefault(json.loads(line)["uuid"], []).append((kernel, now))
    out_q.put(arrivals)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "bin", "cruddur"))
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--messages", type=int, default=50)
    ap.add_argument("--poll-ms", type=int, default=250)
    ap.add_argument("--facts", help="also write the figures as key=value lines to this file")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop serve (finally below) first
    proc, api_url, ddb_url = start_serve(a.bin, a.poll_ms)
    try:
        port = int(api_url.rsplit(":", 1)[1])
        tokens = [sign_in(ddb_url, u) for u in USERS]
        ready_q, out_q = multiprocessing.Queue(), multiprocessing.Queue()
        listening = a.messages * 0.35 + 10  # the POSTs take at most 0.3 s apart
        listener = multiprocessing.Process(
            target=listen, args=(port, tokens, a.clients, ready_q, out_q, listening), daemon=True)
        listener.start()
        ready_q.get(timeout=60)  # every stream had its first heartbeat
        post_ms, answered = [], {}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(a.messages):
            body = json.dumps({"message": f"bench {i}", "message_group_uuid": GROUP})
            t0 = time.time()
            conn.request("POST", "/api/messages", body=body,
                         headers={"Authorization": f"Bearer {tokens[0]}", "Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            t1 = time.time()
            assert r.status == 200, (r.status, data)
            post_ms.append((t1 - t0) * 1000)
            answered[json.loads(data)["uuid"]] = t1
            time.sleep(random.uniform(0.1, 0.3))
        arrivals = out_q.get(timeout=listening + 60)
        listener.join(10)
        lat = [(k - answered[u]) * 1000 for u, ts in arrivals.items() if u in answered for k, _ in ts]
        read = [(r - answered[u]) * 1000 for u, ts in arrivals.items() if u in answered for _, r in ts]
        expected = a.clients * a.messages
        print(f"clients={a.clients} messages={a.messages} poll_ms={a.poll_ms} binary={a.bin}")
        print(f"delivered {len(lat)}/{expected} events")
        print(f"POST /api/messages        p50 {pct(post_ms, 50):7.1f} ms  p99 {pct(post_ms, 99):7.1f} ms")
        print(f"POST answered -> event    p50 {pct(lat, 50):7.1f} ms  p99 {pct(lat, 99):7.1f} ms  "
              f"max {max(lat) if lat else float('nan'):7.1f} ms  (kernel receive time)")
        print(f"  ... read by this process p50 {pct(read, 50):7.1f} ms  p99 {pct(read, 99):7.1f} ms  "
              f"(with the reader's own time for 200 sockets)")
        if a.facts:
            with open(a.facts, "w") as f:
                f.write(f"events_clients={a.clients}\nevents_messages={a.messages}\n"
                        f"events_poll_ms={a.poll_ms}\nevents_delivered={len(lat)}\n"
                        f"events_expected={expected}\n"
                        f"events_post_p50_ms={pct(post_ms, 50):.2f}\n"
                        f"events_post_p99_ms={pct(post_ms, 99):.2f}\n"
                        f"events_p50_ms={pct(lat, 50):.2f}\nevents_p99_ms={pct(lat, 99):.2f}\n"
                        f"events_max_ms={max(lat) if lat else float('nan'):.2f}\n"
                        f"events_read_p50_ms={pct(read, 50):.2f}\nevents_read_p99_ms={pct(read, 99):.2f}\n")
    finally:
        proc.send_signal(signal.SIGTERM)  # by PID
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
