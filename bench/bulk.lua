-- wrk script: the bulk load of bench/run.sh. Writes exactly ITEMS new items
-- into TABLE (key pk, S, hash only) with BatchWriteItem calls of 25 items,
-- then stops wrk; run it with one thread and one connection (one client,
-- sequential calls):
--
--   wrk -t1 -c1 -d600s -s bench/bulk.lua http://127.0.0.1:PORT/ -- ITEMS [TABLE [FIRST]]
--
-- (bench/scale.sh runs it with -c4 and FIRST: items FIRST .. FIRST+ITEMS-1,
-- to grow a table in steps; the connections of its one thread share the
-- counters below.)
--
-- Item i (0-based) is {pk: "b%07d" of i, data: 180 letters, n: i % 1000}:
-- about 200 bytes by DynamoDB's item size rule. The 180 letters are one of
-- 1,000 random strings made in init(), taken in a stride-7 order so that
-- neighbouring items never share one (storage compression gains little).
-- Bodies are built in request() from a counter: building 40,000 bodies of
-- ~7 kB up front would take ~300 MB and long seconds before the first call.
--
-- wrk calls request() once before the run, only to check what it returns, so
-- the first call returns a cheap ListTables, as does every call after the last
-- batch; their answers (with "TableNames") are not counted. response() counts
-- the answers to the batches; one answered other than 200 with an empty
-- UnprocessedItems is counted as failed (its items are not retried). After the
-- answer to the last batch, wrk.thread:stop() ends the thread's loop and a
-- SIGINT to wrk's main thread ends its wait for -d (which is only a ceiling),
-- so wrk exits at once and reports the duration up to then.
--
-- done() prints one machine-readable line:
--   BULK_RESULT items=N batches=B acked=A failed=F duration_us=D

local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "lib.lua")

local BATCH_ITEMS = 25
local PAYLOAD_BYTES = 180
local POOL = 1000

-- Globals, so that done() can read them with thread:get().
items, batches = 0, 0 -- batches: calls to make, ceil(items / 25)
acked, failed = 0, 0  -- answered 200 with nothing unprocessed / otherwise
local tbl = "bulk"
local first_item = 0  -- FIRST
local sent = 0        -- batch calls generated so far
local calls = 0       -- calls of request()
local headers, pool = nil, {}
local idle_request = nil
local SIGNATURE = string.rep("0123456789abcdef", 4)

setup = lib.setup

function init(args)
  items = tonumber(args[1] or "")
  if not items or items < 1 then
    io.stderr:write("bulk.lua: usage: -- ITEMS [TABLE]\n")
    os.exit(2)
  end
  tbl = args[2] or tbl
  first_item = tonumber(args[3] or "0") or 0
  batches = math.ceil(items / BATCH_ITEMS)
  math.randomseed(os.time())
  for i = 1, POOL do
    pool[i] = lib.random_letters(PAYLOAD_BYTES)
  end
  headers = lib.dynamodb_headers("BatchWriteItem", SIGNATURE)
  idle_request = wrk.format("POST", "/", lib.dynamodb_headers("ListTables", SIGNATURE),
      '{"Limit":1}')
end

function request()
  calls = calls + 1
  if calls == 1 or sent >= batches then
    return idle_request
  end
  local first = first_item + sent * BATCH_ITEMS
  local last = first_item + math.min((sent + 1) * BATCH_ITEMS, items) - 1
  local puts = {}
  for i = first, last do
    puts[#puts + 1] = string.format(
        '{"PutRequest":{"Item":{"pk":{"S":"b%07d"},"data":{"S":"%s"},"n":{"N":"%d"}}}}', i,
        pool[(i * 7) % POOL + 1], i % 1000)
  end
  sent = sent + 1
  return wrk.format("POST", "/", headers,
      string.format('{"RequestItems":{"%s":[%s]}}', tbl, table.concat(puts, ",")))
end

-- Ends wrk now. wrk's main thread sleeps for -d unless its SIGINT handler
-- interrupts that sleep; a SIGINT to the process may be handled by this thread
-- instead, so it goes to the main thread (thread id = process id) by tgkill().
local ffi = require("ffi")
ffi.cdef [[
int getpid(void);
int tgkill(int tgid, int tid, int sig);
]]
local SIGINT = 2

local function stop_wrk()
  wrk.thread:stop()
  local pid = ffi.C.getpid()
  if not pcall(function() return ffi.C.tgkill(pid, pid, SIGINT) end) then
    -- No tgkill() in this libc: a process-directed SIGINT (not os.execute:
    -- system() ignores SIGINT in this process while it waits).
    local kill = io.popen("kill -INT " .. pid)
    if kill then kill:close() end
  end
end

function response(status, _, body)
  if status == 200 and body:find('"TableNames"', 1, true) then
    return -- the answer to an idle request
  end
  if status == 200 and not body:find('"UnprocessedItems"%s*:%s*{%s*"') then
    acked = acked + 1
  else
    failed = failed + 1
    if failed <= 3 then
      io.stderr:write(string.format("bulk.lua: HTTP %d: %s\n", status, body:sub(1, 300)))
    end
  end
  if acked + failed == batches then
    stop_wrk()
  end
end

function done(summary, _, _)
  local t = lib.threads[1]
  local a, f = t:get("acked"), t:get("failed")
  io.write(string.format("BULK_RESULT items=%d batches=%d acked=%d failed=%d duration_us=%d\n",
      t:get("items"), t:get("batches"), a, f, summary.duration))
end
