/* The voice capability's route groups; voice_http_register (voice_http.c)
 * calls each. URLs (every page has its /api twin):
 *   staff (voice_http.c):   /voice, /voice/new, /voice/similar,
 *     /voice/{id}, /voice/{id}/act, /voice/{id}/extend, /voice/{id}/merge,
 *     /voice/{id}/answer, /voice/answers/{id}/review, /voice/{id}/publish,
 *     /voice/{id}/identity, /voice/stats
 *   citizens, no login (voice_public_http.c): /citizen/submit,
 *     /citizen/track, /citizen/rate, /citizen/answers, /citizen/stats
 *     (?xa=<5-digit commune code>; default the config's demo commune)
 *   Open311 GeoReport v2 (open311_http.c): /open311/v2/discovery.json,
 *     services.json, services/{code}.json, requests.json (GET, POST),
 *     requests/{id}.json, tokens/{token}.json
 *   reception (reception_http.c): /voice/reception, /voice/reception/{id},
 *     /voice/reception/{id}/visits; public /citizen/reception */
#ifndef VOICE_HTTP_H
#define VOICE_HTTP_H

void voice_staff_http_register(void);
void voice_public_http_register(void);
void open311_http_register(void);
void reception_http_register(void);
/* /voice/settings (voice_settings_http.c): the clocks, topics and answer
 * templates as data. */
void voice_settings_http_register(void);

#endif
