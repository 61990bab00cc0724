-- wrk script: prints the 95th percentile latency in ms and the rate, on
-- one line the bench scripts read ("p95_ms rps non2xx").
local non2xx = 0
response = function(status, headers, body)
	if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
	io.write(string.format("P95 %.2f %.1f %d\n", latency:percentile(95) / 1000,
		summary.requests / (summary.duration / 1e6),
		summary.errors.status + non2xx))
end
