-- wrk script for bench/voice.sh: POSTs the citizen form (or the tracking
-- form) with an anonymous double-submit CSRF token; counts replies other
-- than 2xx/3xx and prints them on one line: "BAD n rps p99_ms".
local token = os.getenv("CSRF")
local body = os.getenv("BODY")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "qt_csrf=" .. token
wrk.body = "csrf_token=" .. token .. "&" .. body
local bad = 0
response = function(status, headers, body)
	if status < 200 or status > 399 then bad = bad + 1 end
end
done = function(summary, latency, requests)
	io.write(string.format("BAD %d %.1f %.2f\n", bad + summary.errors.status,
		summary.requests / (summary.duration / 1e6),
		latency:percentile(99) / 1000))
end
