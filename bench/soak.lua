-- wrk script of bench/soak.sh: a mix of reads and writes as one signed-in official makes them.
-- Environment: SOAK_COOKIE, SOAK_CSRF (the session), SOAK_USCCS and SOAK_DIVISIONS (comma-separated
-- enterprises and divisions to ask for), SOAK_WRITES (percent of requests that write, default 10).
-- Counts answers by class per thread and prints them at the end: "soak: 2xx N 4xx N 5xx N".

local function list(name)
  local t = {}
  for v in string.gmatch(os.getenv(name) or "", "[^,]+") do t[#t + 1] = v end
  return t
end
local usccs, divisions = list("SOAK_USCCS"), list("SOAK_DIVISIONS")
local writes = tonumber(os.getenv("SOAK_WRITES") or "10")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(id * 7919)
  wrk.headers["Cookie"] = os.getenv("SOAK_COOKIE")
  ok, client, server = 0, 0, 0
end

function request()
  local u = usccs[math.random(#usccs)]
  local roll = math.random(100)
  if roll <= writes then
    local body = string.format('{"name": "soak enterprise %d"}', math.random(1, 5000))
    return wrk.format("PATCH", "/api/v1/enterprises/" .. u,
      { ["Cookie"] = os.getenv("SOAK_COOKIE"), ["Content-Type"] = "application/json",
        ["X-CSRF-Token"] = os.getenv("SOAK_CSRF") }, body)
  elseif roll <= 60 then
    return wrk.format("GET", "/api/v1/enterprises/" .. u)
  elseif roll <= 85 then
    return wrk.format("GET", "/api/v1/enterprises?limit=50&division=" .. divisions[math.random(#divisions)])
  else
    return wrk.format("GET", "/api/v1/indicators?uscc=" .. u)
  end
end

function response(status, headers, body)
  if status >= 500 then server = server + 1
  elseif status >= 400 then client = client + 1
  else ok = ok + 1 end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("ok"); b = b + t:get("client"); c = c + t:get("server")
  end
  io.write(string.format("soak: 2xx %d 4xx %d 5xx %d\n", a, b, c))
  io.write(string.format("soak: p50 %.2f ms p99 %.2f ms max %.2f ms, %d socket errors\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
