/* Counters for GET /metrics in the Prometheus text format: requests by
 * route, method and status; a latency histogram; errors; database time
 * summed over the worker connections; the process start time. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "../base/banned.h"

enum { COUNTERS_MAX = 1024 };

struct counter {
	const char *route; /* a route pattern: static storage */
	char method[8];
	int status;
	unsigned long long n;
};

static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
				0.25,  0.5,    1,     2.5,  5,     10};
enum { NBOUNDS = sizeof bounds / sizeof *bounds };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct counter counters[COUNTERS_MAX];
static int ncounters;
static unsigned long long buckets[NBOUNDS + 1], count, errors;
static double sum;
static time_t started;

void metrics_init(void)
{
	started = time(NULL);
}

void metrics_record(const char *route, const char *method, int status,
		    double seconds)
{
	pthread_mutex_lock(&lock);
	struct counter *c = NULL;
	for (int i = 0; i < ncounters && !c; i++)
		if (counters[i].status == status &&
		    counters[i].route == route &&
		    !strcmp(counters[i].method, method))
			c = &counters[i];
	if (!c && ncounters < COUNTERS_MAX) {
		c = &counters[ncounters++];
		c->route = route;
		/* methods outside the usual ones are counted together */
		snprintf(c->method, sizeof c->method, "%s",
			 strlen(method) < 8 ? method : "OTHER");
		c->status = status;
	}
	if (c)
		c->n++;
	int b = 0;
	while (b < NBOUNDS && seconds > bounds[b])
		b++;
	buckets[b]++;
	count++;
	sum += seconds;
	if (status >= 500)
		errors++;
	pthread_mutex_unlock(&lock);
}

char *metrics_text(struct arena *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	double dbs;
	unsigned long long dbn;
	http_db_stats(&dbs, &dbn);
	pthread_mutex_lock(&lock);
	fprintf(f,
		"# HELP quantri_http_requests_total HTTP requests answered.\n"
		"# TYPE quantri_http_requests_total counter\n");
	for (int i = 0; i < ncounters; i++)
		fprintf(f,
			"quantri_http_requests_total{route=\"%s\",method=\"%"
			"s\",status=\"%d\"} %llu\n",
			counters[i].route, counters[i].method,
			counters[i].status, counters[i].n);
	fprintf(f, "# HELP quantri_http_request_duration_seconds Time from "
		   "request line to response.\n"
		   "# TYPE quantri_http_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (int b = 0; b < NBOUNDS; b++) {
		cum += buckets[b];
		fprintf(f,
			"quantri_http_request_duration_seconds_bucket{le=\"%"
			"g\"} %llu\n",
			bounds[b], cum);
	}
	cum += buckets[NBOUNDS];
	fprintf(f,
		"quantri_http_request_duration_seconds_bucket{le=\"+Inf\"} "
		"%llu\n"
		"quantri_http_request_duration_seconds_sum %.6f\n"
		"quantri_http_request_duration_seconds_count %llu\n",
		cum, sum, count);
	fprintf(f,
		"# HELP quantri_http_errors_total Responses with a 5xx "
		"status.\n"
		"# TYPE quantri_http_errors_total counter\n"
		"quantri_http_errors_total %llu\n",
		errors);
	pthread_mutex_unlock(&lock);
	fprintf(f,
		"# HELP quantri_db_statement_seconds_total Time spent in "
		"database statements.\n"
		"# TYPE quantri_db_statement_seconds_total counter\n"
		"quantri_db_statement_seconds_total %.6f\n"
		"# HELP quantri_db_statements_total Database statements run.\n"
		"# TYPE quantri_db_statements_total counter\n"
		"quantri_db_statements_total %llu\n",
		dbs, dbn);
	fprintf(f,
		"# HELP quantri_process_start_time_seconds Start time of the "
		"process since the epoch.\n"
		"# TYPE quantri_process_start_time_seconds gauge\n"
		"quantri_process_start_time_seconds %lld\n",
		(long long)started);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	char *out = arena_strndup(a, buf, len);
	free(buf);
	return out;
}
