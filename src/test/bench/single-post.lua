-- wrk script of src/test/bench/readings.sh: single-reading POST /api/sensors/{id}/readings with unique
-- (sensor, time) per request, spread over the benchmark sensors.
local counter = 0
local threads = {}
local sensors = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_SENSORS_FILE")) do
    table.insert(sensors, line)
  end
  base = tonumber(os.getenv("BENCH_SINGLE_START"))
end

function request()
  counter = counter + 1
  local sensor = sensors[(counter % #sensors) + 1]
  -- thread_id * 10^5 s keeps threads apart; one second per request keeps (sensor, time) unique.
  local t = base + thread_id * 100000 + counter
  local body = string.format('{"time":"%s","value":%.1f}', os.date("!%Y-%m-%dT%H:%M:%SZ", t), 20 + (counter % 50) / 10)
  return wrk.format("POST", "/api/sensors/" .. sensor .. "/readings", {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
    ["Content-Type"] = "application/json"
  }, body)
end
