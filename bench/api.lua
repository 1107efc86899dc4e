-- wrk script of bench/api.sh: drives the Cruddur API of `cruddur serve`, or
-- its in-process DynamoDB engine with the same Query the API runs.
--
--   wrk -tT -c16 -d10s -s bench/api.lua http://127.0.0.1:PORT/ -- <mode> <a> <b>
--
-- <mode> is one of
--   Query <table> <pk>     POST / to the DynamoDB endpoint: Query pk = <pk>,
--                          ScanIndexForward false, Limit 20 (the Query of
--                          GET /api/messages/{group}: messaging's
--                          PartitionQuery), with JSON 1.0 headers and an
--                          Authorization header shaped like SigV4 (as
--                          bench/lib.lua builds them)
--   Get <path> <token>     GET <path> with "Authorization: Bearer <token>"
--   Post <group> <token>   POST /api/messages {"message", "message_group_uuid":
--                          <group>} with the token; each request has a new
--                          text ("bench t<thread> #<n>")
--   PostMany <groups> <token>
--                          as Post, into the space-separated conversations
--                          <groups> in turn
--   Transact <table> <group>
--                          POST / to the DynamoDB endpoint: the
--                          TransactWriteItems of a send (bench/api.sh's
--                          reference for the POST runs), five actions and a
--                          ClientRequestToken, as the app's: Put the message
--                          MSG#<g>, and for each of two inboxes (indexed by
--                          message_group_uuid <g>) a Delete of the item the
--                          conversation's previous transaction put and a Put
--                          of the new one (Puts conditioned on
--                          attribute_not_exists(pk)); 64 conversations <g>
--                          per wrk thread in turn, all new keys
--   GetVary <path> <token> GET <path> with a token whose signature changes
--                          in each request: four characters after the middle
--                          one of the signature (give a token whose middle
--                          character is already wrong, bench/api.py tamper,
--                          and every one fails the signature check), so that
--                          no cache of verified or refused tokens can help
--
-- Get and Query requests are formatted once per thread in init(); Post and
-- GetVary format one per request (a short string.format and wrk.format).
--
-- done() prints one machine-readable line (latencies in microseconds,
-- bench/lib.lua's), the same as bench/ddb.lua's:
--   BENCH_RESULT op=<mode> requests=N duration_us=D rps=R p50_us=.. p90_us=..
--                p99_us=.. max_us=.. errors_status=N errors_socket=N

local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "lib.lua")

op = "Get" -- global: done() reads it from a thread with thread:get("op")
local fixed_request = nil
local post_headers = nil
local post_group = nil
local post_groups = nil -- PostMany: the JSON strings of the conversations
local tx_table, tx_group, tx_headers = nil, nil, nil
local TX_SLOTS = 64 -- Transact: conversations per wrk thread
local tx_prev = {} -- Transact: slot -> the id of the inbox items it put last
local counter = 0
local vary_path, vary_head, vary_tail = nil, nil, nil
local B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

setup = lib.setup

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

function init(args)
  op = args[1] or "Get"
  local a, b = args[2] or "", args[3] or ""
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  if op == "Query" then
    local headers = lib.dynamodb_headers("Query")
    local body = string.format(
        '{"TableName":%s,"KeyConditionExpression":"pk = :pk",' ..
        '"ExpressionAttributeValues":{":pk":{"S":%s}},"ScanIndexForward":false,' ..
        '"Limit":20,"ReturnConsumedCapacity":"TOTAL"}', json_string(a), json_string(b))
    fixed_request = wrk.format("POST", "/", headers, body)
  elseif op == "Get" then
    fixed_request = wrk.format("GET", a, {["Authorization"] = "Bearer " .. b})
  elseif op == "GetVary" then
    local head, sig = b:match("^(.+%.)([^.]+)$")
    if not sig or #sig < 16 then
      io.stderr:write("api.lua: GetVary needs a JWT\n")
      os.exit(2)
    end
    local mid = math.floor(#sig / 2) + 1 -- bench/api.py tamper's character (Lua counts from 1)
    vary_path = a
    vary_head = head .. sig:sub(1, mid)
    vary_tail = sig:sub(mid + 5)
  elseif op == "Transact" then
    tx_table, tx_group = json_string(a), b
    tx_headers = lib.dynamodb_headers("TransactWriteItems")
  elseif op == "Post" or op == "PostMany" then
    post_group = json_string(a)
    if op == "PostMany" then
      post_groups = {}
      for g in a:gmatch("%S+") do
        post_groups[#post_groups + 1] = json_string(g)
      end
    end
    post_headers = {
      ["Authorization"] = "Bearer " .. b,
      ["Content-Type"] = "application/json",
    }
  else
    io.stderr:write("api.lua: unknown mode " .. op .. "\n")
    os.exit(2)
  end
end

function request()
  if fixed_request then
    return fixed_request
  end
  counter = counter + 1
  if vary_path then
    local n, chars = counter * 16 + (thread_id or 1), {}
    for i = 1, 4 do
      chars[i] = B64URL:sub(n % 64 + 1, n % 64 + 1)
      n = math.floor(n / 64)
    end
    return wrk.format("GET", vary_path,
        {["Authorization"] = "Bearer " .. vary_head .. table.concat(chars) .. vary_tail})
  end
  if tx_table then
    local id = string.format("%d-%d-%s", thread_id or 1, counter, lib.random_letters(6))
    -- TX_SLOTS conversations in turn, each with its two inbox items: a
    -- transaction deletes the pair the slot's previous one put (an existing
    -- item, and its index entry, as a send's move of the inboxes deletes)
    -- and puts the new pair.
    local slot = counter % TX_SLOTS
    local prev = tx_prev[slot]
    tx_prev[slot] = id
    local group = string.format("%s-%d-%d", tx_group, thread_id or 1, slot)
    local function put(pk, extra)
      return string.format('{"Put":{"TableName":%s,"Item":{"pk":{"S":"%s"},"sk":{"S":"%s"},' ..
          '"message":{"S":"bench"}%s},"ConditionExpression":"attribute_not_exists(pk)"}}',
          tx_table, pk, id, extra)
    end
    local function delete(pk)
      return string.format('{"Delete":{"TableName":%s,"Key":{"pk":{"S":"%s"},' ..
          '"sk":{"S":"%s"}}}}', tx_table, pk, prev or ("none-" .. id))
    end
    local inbox = ',"message_group_uuid":{"S":"' .. group .. '"}'
    local a, b = "GRP#bench-a-" .. group, "GRP#bench-b-" .. group
    local body = '{"TransactItems":[' .. table.concat({
        put("MSG#" .. group, ""), delete(a), put(a, inbox), delete(b), put(b, inbox)}, ",") ..
        '],"ClientRequestToken":"' .. id .. '","ReturnConsumedCapacity":"TOTAL"}'
    return wrk.format("POST", "/", tx_headers, body)
  end
  local group = post_group
  if post_groups then
    group = post_groups[counter % #post_groups + 1]
  end
  local body = string.format('{"message":"bench t%d #%d","message_group_uuid":%s}',
      thread_id or 1, counter, group)
  return wrk.format("POST", "/api/messages", post_headers, body)
end

done = lib.done
