#!/usr/bin/python3
"""Prints the web section of `make bench` (issue 12) from bench/web.sh's
measurements, with the goals.

    web.py FACTS

FACTS: key=value lines: machine; bench/web.mjs's (browser, signin_flow,
signin_ms, js_*, conversation_messages, load_* and open_* samples,
direct_*_ms) and bench/events.py's (events_*); web_state / events_state
when one of them could not run. Samples are space-separated; the report
shows medians, and each ratio is the ratio of the two medians.
"""

import statistics
import sys

from util import goal_writer, machine_line, read_facts, verdict

JS_GOAL_KB = 150  # gzipped, 1 KB = 1024 bytes
OPEN_GOAL = 3  # x the time of the API calls the page makes for it
EVENTS_P50_GOAL, EVENTS_P99_GOAL = 2, 5  # x a POST's own p50


def samples(facts, key):
    return [float(x) for x in facts.get(key, "").split()]


def med(facts, key):
    xs = samples(facts, key)
    return statistics.median(xs) if xs else None


def report(facts):
    out = []
    p = out.append
    line = goal_writer(p)
    p(f"web benchmark (issue 12): `cruddur serve` with the built app (web/dist),"
      f" {facts.get('browser', 'Chromium')}")
    p("  JS shipped: every script the pages load, fetched again as the browser asks for it"
      " (Accept-Encoding: gzip): bytes as served")
    p(f"  sign-in: through the sign-in page ({facts.get('signin_flow', '?')}), from the form's"
      " submit to the app's navigation to /messages;")
    p("    a fresh browser context each time")
    p(f"  conversation: {facts.get('conversation_messages', '?')} messages, signed in; until its"
      " newest message is in the DOM, laid out and in view")
    p("    'page load': page.goto(/messages/<g>), from navigation start; 'in the app': a click on"
      " it in the conversation list")
    p("    its API calls: the page's own /api/ requests (resource timing; not the event stream),"
      " the time at least one was in flight")
    p("  live updates: bench/events.py, GET /api/events streams, POSTs one after another;"
      " POST answered -> event arrived")
    machine_line(facts, p)
    p("")
    p(f"{'measure (ms)':<52} {'median':>9} {'min':>9} {'max':>9} {'runs':>5}")

    def row(label, key):
        xs = samples(facts, key)
        if xs:
            p(f"{label:<52} {statistics.median(xs):>9.1f} {min(xs):>9.1f} {max(xs):>9.1f}"
              f" {len(xs):>5}")

    row("sign-in, submit -> signed in", "signin_ms")
    if "signin_pool_calls" in facts:
        calls = sorted(set(facts["signin_pool_calls"].split()))
        p(f"    calls to the user pool per sign-in: {', '.join(calls)}")
    for kind, what in (("load", "page load"), ("open", "in the app")):
        row(f"conversation ({what}) shown", f"{kind}_ms")
        row("  the next frame", f"{kind}_frame_ms")
        calls = facts.get(f"{kind}_api_calls", "")
        n = calls.split(":", 1)[0] if calls else "?"
        row(f"  its API calls ({n}), in flight", f"{kind}_api_ms")
        row("  start -> the first API call", f"{kind}_before_api_ms")
        row("  the messages' API answer -> shown", f"{kind}_after_api_ms")
        if calls:
            p(f"    calls: {calls}; messages shown: {facts.get(f'{kind}_shown_messages', '?')}")
        if f"{kind}_pool_calls" in facts:
            p(f"    calls to the user pool in all {len(samples(facts, f'{kind}_ms'))} page loads:"
              f" {facts[f'{kind}_pool_calls']}")
    for key, what in (("direct_messages_ms", "GET /api/messages/<g> from Node (for information)"),
                      ("direct_groups_ms", "GET /api/message_groups from Node")):
        if key in facts:
            p(f"{what:<52} {float(facts[key]):>9.1f}")
    if "events_p50_ms" in facts:
        p(f"live updates: {facts['events_clients']} clients, {facts['events_messages']} POSTs,"
          f" server poll {facts['events_poll_ms']} ms; delivered {facts['events_delivered']}"
          f" of {facts['events_expected']} events")
        p(f"  POST /api/messages          p50 {float(facts['events_post_p50_ms']):7.1f} ms"
          f"  p99 {float(facts['events_post_p99_ms']):7.1f} ms")
        p(f"  POST answered -> event      p50 {float(facts['events_p50_ms']):7.1f} ms"
          f"  p99 {float(facts['events_p99_ms']):7.1f} ms"
          f"  max {float(facts['events_max_ms']):7.1f} ms")

    p("")
    p("goals (issue 12)")
    if "web_state" in facts:
        p(f"  (the browser runs: {facts['web_state']})")
    js_goal = f"(<= {JS_GOAL_KB} KB)"
    if "js_served_bytes" in facts:
        kb = int(facts["js_served_bytes"]) / 1024
        enc = facts.get("js_served_encoding", "?")
        line(f"JS shipped ({enc}, as served)", f"{kb:.1f} KB", js_goal,
             verdict(kb <= JS_GOAL_KB and enc == "gzip"))
        p(f"    {facts.get('js_files', '?')}: {int(facts['js_raw_bytes']) / 1024:.1f} KB raw,"
          f" {int(facts['js_gzip9_bytes']) / 1024:.1f} KB at gzip -9")
    else:
        line("JS shipped (gzip, as served)", "n/a", js_goal, "n/a")
    for kind, what in (("load", "conversation page load / its API calls"),
                       ("open", "conversation in the app / its API call(s)")):
        shown, api = med(facts, f"{kind}_ms"), med(facts, f"{kind}_api_ms")
        goal = f"(<= {OPEN_GOAL}x)"
        if shown is not None and api:
            ratio = shown / api
            line(what, f"{ratio:.1f}x", goal, verdict(ratio <= OPEN_GOAL))
        else:
            line(what, "n/a", goal, "n/a")
    signin = med(facts, "signin_ms")
    line("sign-in through the page (for information)",
         f"{signin:.0f} ms" if signin is not None else "n/a", "", "")

    post = float(facts["events_post_p50_ms"]) if "events_post_p50_ms" in facts else None
    for key, goal_x in (("events_p50_ms", EVENTS_P50_GOAL), ("events_p99_ms", EVENTS_P99_GOAL)):
        pct = key.split("_")[1]
        what = f"live update {pct} / POST p50, {facts.get('events_clients', '?')} clients"
        goal = f"(<= {goal_x}x)"
        if post and key in facts:
            ratio = float(facts[key]) / post
            lost = int(facts["events_expected"]) - int(facts["events_delivered"])
            result = verdict(ratio <= goal_x)
            if lost:
                result = f"MISS ({lost} events not delivered)"
            line(what, f"{ratio:.1f}x", goal, result)
        else:
            line(what, "n/a", goal, f"n/a ({facts['events_state']})" if "events_state" in facts
                 else "n/a")
    print("\n".join(x.rstrip() for x in out))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(report(read_facts(sys.argv[1])))
