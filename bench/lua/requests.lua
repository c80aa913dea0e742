-- wrk script shared by every benchmark: replays requests from a file.
--
-- BENCH_REQUESTS  file with one request per line:
--                 METHOD <tab> PATH <tab> COOKIE <tab> ADDRESS <tab> BODY
--                 COOKIE is an index into BENCH_COOKIES or "-"; ADDRESS is the client address
--                 for X-Forwarded-For (a signed-in session is bound to the address it signed
--                 in from) or empty; BODY may be empty
-- BENCH_COOKIES   file with one session cookie value per line
-- BENCH_XFF       "pool:N": a request without an ADDRESS comes from one of N client
--                 addresses, as many different people would (the app trusts one proxy,
--                 so X-Forwarded-For is the client); empty: from 127.0.0.1 itself
--
-- A thread that runs out of lines starts over and counts it in "wrapped": run.py makes
-- the pool of quiz attempts large enough that this never happens (each may be sent once).
--
-- Threads take interleaved lines (thread k: lines k, k+T, k+2T, ...), so no two
-- threads send the same line. done() prints one JSON object for run.py.

local USER_AGENT = "peer-academy-bench"
local COOKIE_NAME = "academy_session"
local threads = {}
local thread_count = 0

local function read_lines(path)
  local lines = {}
  if path == nil or path == "" then return lines end
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  file:close()
  return lines
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
  return fields
end

function setup(thread)
  thread:set("index", thread_count)
  thread_count = thread_count + 1
  threads[#threads + 1] = thread
end

local requests = {}
local position = 0
local step = 1
local pool_size = nil
local counter = 0
wrapped = 0

function init(args)
  local cookies = read_lines(os.getenv("BENCH_COOKIES"))
  local index = tonumber(wrk.thread:get("index")) or 0
  local total = tonumber(os.getenv("BENCH_THREADS")) or 1
  local all = read_lines(os.getenv("BENCH_REQUESTS"))
  if #all < total then index, total = 0, 1 end -- one page for everyone: all threads send it
  for i = index + 1, #all, total do
    local fields = split(all[i])
    local headers = { ["User-Agent"] = USER_AGENT }
    local cookie = fields[3]
    if cookie ~= nil and cookie ~= "-" and cookie ~= "" then
      headers["Cookie"] = COOKIE_NAME .. "=" .. cookies[tonumber(cookie) + 1]
    end
    local address = fields[4]
    if address == "" then address = nil end
    local body = fields[5]
    if body == "" then body = nil end
    if body ~= nil then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    if address ~= nil then headers["X-Forwarded-For"] = address end
    requests[#requests + 1] = {
      method = fields[1], path = fields[2], headers = headers, body = body, pooled = address == nil,
    }
  end
  assert(#requests > 0, "no requests for this thread")
  local xff = os.getenv("BENCH_XFF") or ""
  pool_size = tonumber(xff:match("^pool:(%d+)$"))
  counter = index * 7919
end

local function client_address()
  -- Synthetic addresses in 127.0.0.0/8: only a header value, never a destination.
  counter = counter + 1
  local n = counter % pool_size
  return string.format("127.%d.%d.%d", 1 + math.floor(n / 65536) % 254, math.floor(n / 256) % 256, n % 256)
end

function request()
  position = position + 1
  if position > #requests then
    position = 1
    wrapped = wrapped + 1
  end
  local r = requests[position]
  if r.pooled and pool_size ~= nil then
    r.headers["X-Forwarded-For"] = client_address()
  end
  return wrk.format(r.method, r.path, r.headers, r.body)
end

function done(summary, latency, requests_)
  local wraps = 0
  for _, thread in ipairs(threads) do
    wraps = wraps + (tonumber(thread:get("wrapped")) or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeouts":%d,"wrapped":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout, wraps))
end
