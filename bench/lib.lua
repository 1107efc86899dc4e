-- What the wrk scripts bench/ddb.lua, bench/api.lua and bench/bulk.lua share.
-- Each loads it from its own directory (wrk loads a script by the path given
-- to -s, which is then the chunk's source name; wrk runs LuaJIT, Lua 5.1):
--
--   local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "lib.lua")
--
-- wrk runs a script in one Lua state per thread (init, request, response)
-- and in one more (setup, done), each loading this file for itself.

local lib = {}

-- The threads setup() saw, in order (in the state of setup and done only).
lib.threads = {}

-- setup(thread), for `setup = lib.setup`: numbers the threads; each one's
-- global thread_id is its number, 1..T.
function lib.setup(thread)
  lib.threads[#lib.threads + 1] = thread
  thread:set("thread_id", #lib.threads)
end

-- n random lowercase letters (math.random).
function lib.random_letters(n)
  local chars = {}
  for i = 1, n do
    chars[i] = string.char(97 + math.random(0, 25))
  end
  return table.concat(chars)
end

-- The headers of a DynamoDB call of the JSON 1.0 protocol to operation
-- target, with an Authorization header shaped like SigV4 (servers that check
-- only the shape accept it): its Signature is the given 64 hex digits, or
-- random ones (math.random).
function lib.dynamodb_headers(target, signature)
  if not signature then
    local sig = {}
    for i = 1, 64 do
      sig[i] = string.format("%x", math.random(0, 15))
    end
    signature = table.concat(sig)
  end
  return {
    ["Content-Type"] = "application/x-amz-json-1.0",
    ["X-Amz-Target"] = "DynamoDB_20120810." .. target,
    ["X-Amz-Date"] = "20260101T000000Z",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/" ..
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=" .. signature,
  }
end

-- done(summary, latency), for `done = lib.done` after lib.setup: prints one
-- machine-readable line (latencies in microseconds; op: the global op of the
-- first thread):
--   BENCH_RESULT op=<op> requests=N duration_us=D rps=R p50_us=.. p90_us=..
--                p99_us=.. max_us=.. errors_status=N errors_socket=N
function lib.done(summary, latency, _)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
      "BENCH_RESULT op=%s requests=%d duration_us=%d rps=%.1f p50_us=%.1f p90_us=%.1f " ..
      "p99_us=%.1f max_us=%.1f errors_status=%d errors_socket=%d\n",
      lib.threads[1]:get("op"), summary.requests, summary.duration, summary.requests / seconds,
      latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0),
      latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end

return lib
