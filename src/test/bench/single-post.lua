-- wrk script of src/test/bench/readings.sh: single-reading POST /api/sensors/{id}/readings, each with the
-- sensor's own device token (as devices post), a current measurement time unique per (sensor, time) and a
-- value the benchmark's alert rules evaluate. BENCH_DEVICES_FILE holds "sensorId deviceToken" lines.
local counter = 0
local threads = {}
local devices = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_DEVICES_FILE")) do
    local id, token = line:match("^(%S+)%s+(%S+)$")
    table.insert(devices, { id = id, auth = "Bearer " .. token })
  end
  base_ms = tonumber(os.getenv("BENCH_SINGLE_START")) * 1000
end

function request()
  counter = counter + 1
  local device = devices[(counter % #devices) + 1]
  -- two threads: even and odd milliseconds, 2 ms per request and thread keep (sensor, time) unique.
  local t = base_ms + counter * 2 + thread_id
  local time = os.date("!%Y-%m-%dT%H:%M:%S", math.floor(t / 1000)) .. string.format(".%03dZ", t % 1000)
  local body = string.format('{"time":"%s","value":%.1f}', time, 20 + (counter % 50) / 10)
  return wrk.format("POST", "/api/sensors/" .. device.id .. "/readings", {
    ["Authorization"] = device.auth,
    ["Content-Type"] = "application/json"
  }, body)
end
