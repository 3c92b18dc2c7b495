/* topology_int.h - shared by topology.c and topology_items.c only.
 *
 * The loader walks jansson's tree keeping the path it took (member names and
 * indexes) so that an error can name the value's line and column through
 * jsonpos. Every accessor treats an absent member and a null one alike, and
 * reports a wrong JSON type at the value. On any error the caller gives up
 * on the whole file: the path stack is then left as it was at the error. */
#ifndef VFE_TOPOLOGY_INT_H
#define VFE_TOPOLOGY_INT_H

#include <jansson.h>

#include "capture/vpc/jsonpos.h"
#include "capture/vpc/topology.h"

/* Deepest path the schema needs is 9 steps:
 * Reservations[i].Instances[j].NetworkInterfaces[k].PrivateIpAddresses[l]
 * .PrivateIpAddress. */
#define TOPO_PATH_MAX 16

struct topo_ld {
	const char *file;             /* as given, for messages */
	const char *text;             /* the file's bytes, for positions */
	size_t len;
	struct jsonpos_step path[TOPO_PATH_MAX];
	size_t depth;                 /* may pass TOPO_PATH_MAX: positions then
	                               * name the deepest step kept */
	char *err;
	size_t errlen;
};

enum { FAM_ANY = 0, FAM_V4 = 4, FAM_V6 = 6 };

/* A string member copied into a struct: key and the char * field's offset. */
struct topo_field {
	const char *key;
	size_t off;
};

typedef int (*topo_item_fn)(struct topo_ld *ld, json_t *item, void *arg);

/* Writes "FILE:LINE:COL: message" for the value at the current path, and
 * returns -1. */
int topo_fail(struct topo_ld *ld, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int topo_oom(struct topo_ld *ld);
void topo_push(struct topo_ld *ld, const char *key);
void topo_push_index(struct topo_ld *ld, size_t index);
void topo_pop(struct topo_ld *ld);

char *topo_strdup(const char *s);

/* obj[key] if present and not null, else NULL. */
json_t *topo_get(json_t *obj, const char *key);

/* Accessors: 0 (leaving *out alone when the member is absent) or -1. */
int topo_str(struct topo_ld *ld, json_t *obj, const char *key, char **out);
int topo_cstr(struct topo_ld *ld, json_t *obj, const char *key, const char **out);
int topo_strs(struct topo_ld *ld, json_t *obj, const struct topo_field *f,
              size_t n, void *base);
int topo_bool(struct topo_ld *ld, json_t *obj, const char *key, bool *out);
/* obj[key] of JSON type want (JSON_TRUE: any boolean, JSON_INTEGER: any
 * number): 1 with the path pushed (pop it with topo_pop), 0 when absent,
 * -1 when of another type. */
int topo_member(struct topo_ld *ld, json_t *obj, const char *key, json_type want,
                json_t **out);

/* s quoted for a one-line message (controls escaped, long values cut) in
 * buf[0..n); returns buf. */
const char *topo_quote(const char *s, char *buf, size_t n);

/* Parse s as the value at the current path, named key in messages. */
int topo_addr(struct topo_ld *ld, const char *s, const char *key, int fam,
              struct ip_addr *out);
int topo_prefix(struct topo_ld *ld, const char *s, const char *key, int fam,
                struct ip_prefix *out);
/* The member key parsed as above; *have tells whether it was present. */
int topo_member_addr(struct topo_ld *ld, json_t *obj, const char *key, int fam,
                     struct ip_addr *out, bool *have);
int topo_member_prefix(struct topo_ld *ld, json_t *obj, const char *key, int fam,
                       struct ip_prefix *out, bool *have);

/* Calls fn on each non-null element of the array obj[key], which must be of
 * JSON type want (JSON_OBJECT or JSON_STRING). Absent: 0. */
int topo_each(struct topo_ld *ld, json_t *obj, const char *key, json_type want,
              topo_item_fn fn, void *arg);

/* Room for element n of arr (zeroed), growing by doubling; NULL and the
 * error written when memory runs out. */
void *topo_grow(struct topo_ld *ld, void *arr, size_t n, size_t size);

/* Appends a zeroed element to arr[0..n) and points elem at it: 0 or -1. */
#define TOPO_APPEND(ld, arr, n, elem) \
	(((elem) = topo_grow((ld), (arr), (n), sizeof *(arr))) == NULL ? -1 : \
	 ((arr) = (elem), (elem) = &(arr)[(n)++], 0))

/* topology_items.c: the top-level keys of one file, into t. */
int topo_load_root(struct topo_ld *ld, json_t *root, struct topology *t);

/* topology_rules.c: SecurityGroups[] and NetworkAcls[] items, and freeing
 * what they own. */
int topo_sg_item(struct topo_ld *ld, json_t *item, void *arg);
int topo_acl_item(struct topo_ld *ld, json_t *item, void *arg);
void topo_rules_free(struct topology *t);

/* topology.c: frees what one element owns. */
void topo_eni_clear(struct topo_eni *e);

#endif
