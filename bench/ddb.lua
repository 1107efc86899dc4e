-- wrk script: drives one DynamoDB operation against the tables loaded by
-- bench/load.py (pk = "p000".."p499", sk = "s00".."s19": 10,000 items, each
-- with g = "g000".."g499" so that every g value has 20 items, in 20 different
-- partitions). Table "bench" has a global secondary index "g-index" (hash g,
-- range pk, projection ALL); table "bench_noindex" holds the same items
-- without an index.
--
--   wrk -tT -c16 -d10s -s bench/ddb.lua http://127.0.0.1:PORT/ -- <Op> [table|-] [T]
--
-- <Op> is one of
--   GetItem, PutItem, UpdateItem (ADD n :one)     one random item of "bench"
--   PutItemNoIndex       PutItem on "bench_noindex" (same items, no GSI)
--   Query                one partition of "bench": 20 items
--   QueryIndex           one g value on "bench" IndexName g-index: 20 items
--   BatchWriteItem       25 PutRequests on "bench" (distinct existing keys)
--   TransactWriteItems   4 actions on 4 distinct items of "bench": 2 Put, an
--                        Update ADD n :one, and an Update SET with a
--                        ConditionExpression attribute_exists(pk)
-- Every write keeps an item's key and g, so the table stays at 10,000 items
-- and every g value at 20 (later runs see the same data). Multi-item requests
-- take their keys from one random permutation of all keys (the same in every
-- thread), in turn, so the requests in flight never touch the same item:
-- given T, the number of wrk threads, thread k takes every T-th batch of keys.
--
-- Every request is POST / with the JSON 1.0 protocol headers and an
-- Authorization header shaped like SigV4 (servers that check only the shape
-- accept it). Single-item keys are random across all items.
--
-- All requests are formatted once per thread in init(); request() only picks
-- one, so the load generator spends its time on I/O, not on Lua.
--
-- done() prints one machine-readable line (latencies in microseconds,
-- bench/lib.lua's):
--   BENCH_RESULT op=GetItem requests=N duration_us=D rps=R p50_us=.. p90_us=..
--                p99_us=.. max_us=.. errors_status=N errors_socket=N

local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "lib.lua")

local PARTITIONS = 500
local ITEMS_PER_PARTITION = 20
local PAYLOAD_BYTES = 200
local BATCH_ITEMS = 25     -- BatchWriteItem: the API's maximum
local TRANSACT_ITEMS = 4   -- TransactWriteItems actions
local INDEX = "g-index"

op = "GetItem" -- global: done() reads it from a thread with thread:get("op")
local requests = {}
local sequential = false
local next_request = 0

-- The GSI hash key of item (p, s), as bench/load.py writes it.
local function g_of(p, s)
  return (p * ITEMS_PER_PARTITION + s) % PARTITIONS
end

local function key_json(p, s)
  return string.format('{"pk":{"S":"p%03d"},"sk":{"S":"s%02d"}}', p, s)
end

local function item_json(p, s)
  return string.format(
      '{"pk":{"S":"p%03d"},"sk":{"S":"s%02d"},"g":{"S":"g%03d"},"data":{"S":"%s"},' ..
      '"n":{"N":"0"}}', p, s, g_of(p, s), lib.random_letters(PAYLOAD_BYTES))
end

local function put_item(tbl, p, s)
  return string.format('{"TableName":"%s","Item":%s}', tbl, item_json(p, s))
end

-- Every key (p, s) once, in random order, as {p, s} pairs.
-- (A fixed LCG, not math.random: the same permutation in every thread.)
local function shuffled_keys()
  local state = 20260101
  local function rand(n) -- 1..n (Park-Miller: exact in doubles)
    state = state * 16807 % 2147483647
    return state % n + 1
  end
  local keys = {}
  for p = 0, PARTITIONS - 1 do
    for s = 0, ITEMS_PER_PARTITION - 1 do
      keys[#keys + 1] = {p, s}
    end
  end
  for i = #keys, 2, -1 do
    local j = rand(i)
    keys[i], keys[j] = keys[j], keys[i]
  end
  return keys
end

-- list[first], ..., list[first + n - 1] (10,000 keys split evenly by 25 and 4).
local function slice(list, first, n)
  local out = {}
  for i = 1, n do
    out[i] = list[first + i - 1]
  end
  return out
end

local function batch_write(tbl, keys)
  local puts = {}
  for i, k in ipairs(keys) do
    puts[i] = '{"PutRequest":{"Item":' .. item_json(k[1], k[2]) .. '}}'
  end
  return string.format('{"RequestItems":{"%s":[%s]}}', tbl, table.concat(puts, ","))
end

local function transact_write(tbl, keys)
  local k1, k2, k3, k4 = keys[1], keys[2], keys[3], keys[4]
  return string.format(
      '{"TransactItems":[' ..
      '{"Put":{"TableName":"%s","Item":%s}},' ..
      '{"Put":{"TableName":"%s","Item":%s}},' ..
      '{"Update":{"TableName":"%s","Key":%s,"UpdateExpression":"ADD n :one",' ..
      '"ExpressionAttributeValues":{":one":{"N":"1"}}}},' ..
      '{"Update":{"TableName":"%s","Key":%s,"UpdateExpression":"SET n = :zero",' ..
      '"ConditionExpression":"attribute_exists(pk)",' ..
      '"ExpressionAttributeValues":{":zero":{"N":"0"}}}}]}',
      tbl, item_json(k1[1], k1[2]), tbl, item_json(k2[1], k2[2]), tbl,
      key_json(k3[1], k3[2]), tbl, key_json(k4[1], k4[2]))
end

-- Single-item operations: body(tbl, p, s), one request per item.
local per_item = {
  GetItem = function(tbl, p, s)
    return string.format('{"TableName":"%s","Key":%s}', tbl, key_json(p, s))
  end,
  PutItem = put_item,
  UpdateItem = function(tbl, p, s)
    return string.format(
        '{"TableName":"%s","Key":%s,"UpdateExpression":"ADD n :one",' ..
        '"ExpressionAttributeValues":{":one":{"N":"1"}}}', tbl, key_json(p, s))
  end,
}

-- op -> {target, default table, builder}. Builders return the list of bodies.
local ops = {
  GetItem = {"GetItem", "bench"},
  PutItem = {"PutItem", "bench"},
  PutItemNoIndex = {"PutItem", "bench_noindex"},
  UpdateItem = {"UpdateItem", "bench"},
  Query = {"Query", "bench", function(tbl)
    local out = {}
    for p = 0, PARTITIONS - 1 do
      out[#out + 1] = string.format(
          '{"TableName":"%s","KeyConditionExpression":"pk = :p",' ..
          '"ExpressionAttributeValues":{":p":{"S":"p%03d"}}}', tbl, p)
    end
    return out
  end},
  QueryIndex = {"Query", "bench", function(tbl)
    local out = {}
    for g = 0, PARTITIONS - 1 do
      out[#out + 1] = string.format(
          '{"TableName":"%s","IndexName":"%s","KeyConditionExpression":"g = :g",' ..
          '"ExpressionAttributeValues":{":g":{"S":"g%03d"}}}', tbl, INDEX, g)
    end
    return out
  end},
  BatchWriteItem = {"BatchWriteItem", "bench", function(tbl)
    local keys, out = shuffled_keys(), {}
    for i = 1, #keys, BATCH_ITEMS do
      out[#out + 1] = batch_write(tbl, slice(keys, i, BATCH_ITEMS))
    end
    return out
  end},
  TransactWriteItems = {"TransactWriteItems", "bench", function(tbl)
    local keys, out = shuffled_keys(), {}
    for i = 1, #keys, TRANSACT_ITEMS do
      out[#out + 1] = transact_write(tbl, slice(keys, i, TRANSACT_ITEMS))
    end
    return out
  end},
}

-- Runs in the main Lua state, once per thread, before that thread's init().
setup = lib.setup

function init(args)
  op = args[1] or "GetItem"
  local spec = ops[op]
  if not spec then
    io.stderr:write("ddb.lua: unknown operation " .. op .. "\n")
    os.exit(2)
  end
  local target, tbl, build = spec[1], spec[2], spec[3]
  if args[2] and args[2] ~= "" and args[2] ~= "-" then
    tbl = args[2]
  end
  local nthreads = tonumber(args[3] or "") or 1
  math.randomseed(os.time() * 1000 + (thread_id or 0))

  local headers = lib.dynamodb_headers(target)

  local bodies = {}
  if build then
    bodies = build(tbl)
  else
    local one = per_item[target]
    for p = 0, PARTITIONS - 1 do
      for s = 0, ITEMS_PER_PARTITION - 1 do
        bodies[#bodies + 1] = one(tbl, p, s)
      end
    end
  end
  -- Multi-item writes go in turn (disjoint keys in flight), others at random.
  sequential = build ~= nil and target ~= "Query"
  for i, body in ipairs(bodies) do
    if not sequential or (i - 1) % nthreads == (thread_id or 1) - 1 then
      requests[#requests + 1] = wrk.format("POST", "/", headers, body)
    end
  end
  next_request = math.random(0, #requests - 1)
end

function request()
  if sequential then
    next_request = next_request % #requests + 1
    return requests[next_request]
  end
  return requests[math.random(1, #requests)]
end

done = lib.done
