/* The SQL behind /voice/settings (voice_settings_http.c): the clocks,
 * topics and answer templates a commune edits. Each change is one
 * transaction with its audit row; checks of the input are the page's. */
#ifndef VOICE_SETTINGS_DB_H
#define VOICE_SETTINGS_DB_H
#include "voice.h"

/* Every topic, the inactive too: [{id, code, name_vi, name_en, dimension,
 * ord, active}]. */
enum err vset_topics(struct db *db, struct arena *a, json_t **out,
		     struct error *e);
/* The templates a commune's staff see: shipped (commune_id null) and the
 * commune's: [{id, commune_id, topic_id, topic_vi, title, body}]. */
enum err vset_templates(struct db *db, struct arena *a, long long commune_id,
			json_t **out, struct error *e);

/* A rule from r->effective_from on: the rule of that type and step in force
 * that day ends then (effective_to = the day); the new one runs until the
 * next rule begins (or open-ended). ERR_CONFLICT when a rule of that type
 * and step already starts that day. */
enum err vset_rule_add(struct db *db, struct arena *a, const struct actor *who,
		       const struct case_rule *r, long long *id,
		       struct error *e);
/* Marks a rule checked by a legal officer; ERR_NOTFOUND. */
enum err vset_rule_verify(struct db *db, struct arena *a,
			  const struct actor *who, long long id,
			  struct error *e);

/* A topic: id 0 adds one (code unique: ERR_CONFLICT); else renames, sets
 * the dimension and whether it is active. */
enum err vset_topic_save(struct db *db, struct arena *a,
			 const struct actor *who, long long *id,
			 const char *code, const char *name_vi,
			 const char *dimension, bool active, struct error *e);

/* A commune's template: id 0 adds one; else edits it (only the commune's
 * own: ERR_NOTFOUND otherwise). topic_id 0: for every topic. */
enum err vset_template_save(struct db *db, struct arena *a,
			    const struct actor *who, long long commune_id,
			    long long *id, long long topic_id,
			    const char *title, const char *body,
			    struct error *e);
enum err vset_template_delete(struct db *db, struct arena *a,
			      const struct actor *who, long long commune_id,
			      long long id, struct error *e);
/* Does the topic exist? */
bool vset_topic_exists(struct db *db, struct arena *a, long long id);

#endif
