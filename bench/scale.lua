-- wrk script of bench/scale.sh: GetItem of random items of the table that
-- bench/bulk.lua fills (key pk = "b%07d" of 0 .. ITEMS-1), so that reads
-- reach every part of a growing database rather than one hot corner.
--
--   wrk -t1 -c16 -d10s -s bench/scale.lua http://127.0.0.1:PORT/ -- ITEMS [TABLE]
--
-- Each request is formatted as it is sent (a short string.format); done()
-- prints bench/lib.lua's BENCH_RESULT line with op=GetItemAny.

local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "lib.lua")

op = "GetItemAny" -- global: done() reads it from a thread with thread:get("op")
local items, tbl, headers = 0, "bulk", nil

setup = lib.setup

function init(args)
  items = tonumber(args[1] or "")
  if not items or items < 1 then
    io.stderr:write("scale.lua: usage: -- ITEMS [TABLE]\n")
    os.exit(2)
  end
  tbl = args[2] or tbl
  headers = lib.dynamodb_headers("GetItem")
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  return wrk.format("POST", "/", headers, string.format(
      '{"TableName":"%s","Key":{"pk":{"S":"b%07d"}}}', tbl, math.random(0, items - 1)))
end

done = lib.done
