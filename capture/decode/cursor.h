/* cursor.h - the one bounds-checked reader of packet bytes.
 *
 * A cursor is the unread part [ptr, end) of a buffer. Every accessor checks
 * the length first, comparing it with what is left (never forming ptr + n
 * before the check), returns false when the bytes are not there and then
 * leaves the cursor untouched. Multi-byte values are read in network byte
 * order into locals; nothing ever casts the buffer to a header struct. */
#ifndef VFE_CURSOR_H
#define VFE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *ptr; /* next unread byte */
	const uint8_t *end; /* one past the last readable byte */
};

/* p may be NULL for an empty capture; it is replaced by a real (empty)
 * buffer so that no later ptr + 0 is arithmetic on a null pointer. */
static inline void cur_init(struct cursor *c, const uint8_t *p, size_t n)
{
	static const uint8_t none[1];

	if (p == NULL) {
		p = none;
		n = 0;
	}
	c->ptr = p;
	c->end = p + n;
}

static inline size_t cur_left(const struct cursor *c)
{
	return (size_t)(c->end - c->ptr);
}

static inline bool cur_has(const struct cursor *c, size_t n)
{
	return !(n > (size_t)(c->end - c->ptr));
}

static inline bool cur_peek_u8(const struct cursor *c, uint8_t *v)
{
	if (!cur_has(c, 1))
		return false;
	*v = c->ptr[0];
	return true;
}

static inline bool cur_peek_be16(const struct cursor *c, uint16_t *v)
{
	if (!cur_has(c, 2))
		return false;
	*v = (uint16_t)((unsigned)c->ptr[0] << 8 | (unsigned)c->ptr[1]);
	return true;
}

static inline bool cur_get_u8(struct cursor *c, uint8_t *v)
{
	if (!cur_peek_u8(c, v))
		return false;
	c->ptr += 1;
	return true;
}

static inline bool cur_get_be16(struct cursor *c, uint16_t *v)
{
	if (!cur_peek_be16(c, v))
		return false;
	c->ptr += 2;
	return true;
}

static inline bool cur_get_be32(struct cursor *c, uint32_t *v)
{
	if (!cur_has(c, 4))
		return false;
	*v = (uint32_t)c->ptr[0] << 24 | (uint32_t)c->ptr[1] << 16 |
	     (uint32_t)c->ptr[2] << 8 | (uint32_t)c->ptr[3];
	c->ptr += 4;
	return true;
}

/* Copies n bytes to dst (which holds at least n bytes). */
static inline bool cur_get_bytes(struct cursor *c, void *dst, size_t n)
{
	if (!cur_has(c, n))
		return false;
	if (n > 0)
		memcpy(dst, c->ptr, n);
	c->ptr += n;
	return true;
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
	if (!cur_has(c, n))
		return false;
	c->ptr += n;
	return true;
}

/* Splits off the next n bytes: sub reads exactly those, c moves past them.
 * On failure neither c nor sub changes. */
static inline bool cur_sub(struct cursor *c, size_t n, struct cursor *sub)
{
	if (!cur_has(c, n))
		return false;
	sub->ptr = c->ptr;
	sub->end = c->ptr + n;
	c->ptr += n;
	return true;
}

/* Shrinks the readable part to at most n bytes: the min(captured, declared)
 * rule for an inner layer whose header states its own length. Never grows. */
static inline void cur_clamp(struct cursor *c, size_t n)
{
	if (cur_has(c, n))
		c->end = c->ptr + n;
}

#endif
