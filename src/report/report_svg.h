/* The dashboard's radar chart: SVG drawn here, so the page needs no
 * script and the phone gets the same picture as the office PC (it scales
 * with its viewBox). Pure: strings in, a string in the arena out. */
#ifndef REPORT_SVG_H
#define REPORT_SVG_H
#include "../base/arena.h"

enum { RADAR_AXES = 8, RADAR_SERIES_MAX = 3, RADAR_SVG_MAX = 64 << 10 };

/* One line of the radar: 8 scores on PAPI's 1..10 scale, NaN where there
 * is none. lo/hi (may be NULL): the 95% confidence interval, drawn as a
 * whisker along each axis. style 0: this year (solid, filled), 1: last
 * year (dashed), 2: the province (dotted). */
struct radar_series {
	const char *label; /* "Năm 2026", for the tooltips */
	double v[RADAR_AXES];
	const double *lo, *hi;
	int style;
};

/* The radar of ns series (at most RADAR_SERIES_MAX) over the eight
 * dimensions; axis k is labelled "D<k+1>" and names[k] ("Tham gia"; a
 * "\n" breaks the name into lines).
 * A series with a missing score is drawn as its points and the lines
 * between neighbours that both have one, never as a 0. NULL when the
 * arena is full. */
char *report_radar_svg(struct arena *a, const struct radar_series *s, int ns,
		       const char *const names[RADAR_AXES]);

#endif
