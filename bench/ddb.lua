-- wrk script: drives one DynamoDB operation against a table loaded by
-- bench/load.py (pk = "p000".."p499", sk = "s00".."s19": 10,000 items).
--
--   wrk -t1 -c16 -d10s -s bench/ddb.lua http://127.0.0.1:PORT/ -- <Op> [table]
--
-- <Op> is GetItem, PutItem, Query (one partition: 20 items) or UpdateItem
-- (ADD n :one). Every request is POST / with the JSON 1.0 protocol headers and
-- an Authorization header shaped like SigV4 (servers that check only the shape
-- accept it). Keys are random across all items.
--
-- All requests are formatted once per thread in init(); request() only picks
-- one, so the load generator spends its time on I/O, not on Lua.
--
-- done() prints one machine-readable line (latencies in microseconds):
--   BENCH_RESULT op=GetItem requests=N duration_us=D rps=R p50_us=.. p90_us=..
--                p99_us=.. max_us=.. errors_status=N errors_socket=N

local PARTITIONS = 500
local ITEMS_PER_PARTITION = 20
local PAYLOAD_BYTES = 200

op = "GetItem" -- global: done() reads it from a thread with thread:get("op")
local requests = {}
local threads = {}

local function key_json(p, s)
  return string.format('{"pk":{"S":"p%03d"},"sk":{"S":"s%02d"}}', p, s)
end

local function payload()
  local chars = {}
  for i = 1, PAYLOAD_BYTES do
    chars[i] = string.char(97 + math.random(0, 25))
  end
  return table.concat(chars)
end

local bodies = {
  GetItem = function(tbl, p, s)
    return string.format('{"TableName":"%s","Key":%s}', tbl, key_json(p, s))
  end,
  PutItem = function(tbl, p, s)
    return string.format(
        '{"TableName":"%s","Item":{"pk":{"S":"p%03d"},"sk":{"S":"s%02d"},' ..
        '"data":{"S":"%s"},"n":{"N":"0"}}}', tbl, p, s, payload())
  end,
  UpdateItem = function(tbl, p, s)
    return string.format(
        '{"TableName":"%s","Key":%s,"UpdateExpression":"ADD n :one",' ..
        '"ExpressionAttributeValues":{":one":{"N":"1"}}}', tbl, key_json(p, s))
  end,
  Query = function(tbl, p)
    return string.format(
        '{"TableName":"%s","KeyConditionExpression":"pk = :p",' ..
        '"ExpressionAttributeValues":{":p":{"S":"p%03d"}}}', tbl, p)
  end,
}

-- Runs in the main Lua state, once per thread, before that thread's init().
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

function init(args)
  op = args[1] or "GetItem"
  local tbl = args[2] or "bench"
  local build = bodies[op]
  if not build then
    io.stderr:write("ddb.lua: unknown operation " .. op .. "\n")
    os.exit(2)
  end
  math.randomseed(os.time() * 1000 + (thread_id or 0))

  local sig = {}
  for i = 1, 64 do
    sig[i] = string.format("%x", math.random(0, 15))
  end
  local headers = {
    ["Content-Type"] = "application/x-amz-json-1.0",
    ["X-Amz-Target"] = "DynamoDB_20120810." .. op,
    ["X-Amz-Date"] = "20260101T000000Z",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/" ..
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=" .. table.concat(sig),
  }

  for p = 0, PARTITIONS - 1 do
    if op == "Query" then
      requests[#requests + 1] = wrk.format("POST", "/", headers, build(tbl, p))
    else
      for s = 0, ITEMS_PER_PARTITION - 1 do
        requests[#requests + 1] = wrk.format("POST", "/", headers, build(tbl, p, s))
      end
    end
  end
end

function request()
  return requests[math.random(1, #requests)]
end

function done(summary, latency, _)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
      "BENCH_RESULT op=%s requests=%d duration_us=%d rps=%.1f p50_us=%.1f p90_us=%.1f " ..
      "p99_us=%.1f max_us=%.1f errors_status=%d errors_socket=%d\n",
      threads[1]:get("op"), summary.requests, summary.duration, summary.requests / seconds,
      latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0),
      latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
