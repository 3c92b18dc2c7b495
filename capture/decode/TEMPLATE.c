/* TEMPLATE.c - how to write a new decoder layer (not built by meson).
 * Copy to <layer>.c, add it to meson.build and its prototype to layers.h.
 * The example decodes a PPPoE session header (RFC 2516 4, PPP RFC 1661 2);
 * a layer must not allocate, print, keep state or read outside the cursor.
 * Check it still compiles: gcc -DDECODE_TEMPLATE_CHECK -I. -c TEMPLATE.c */

/* Including the header keeps this file a valid translation unit when the
 * example below is compiled out (the direct gcc build globs *.c). */
#include "capture/decode/layers.h"

#ifdef DECODE_TEMPLATE_CHECK

/* 1. Name every constant; say where it comes from. */
#define PPPOE_VER_TYPE 0x11      /* version 1, type 1 (RFC 2516 4) */
#define PPPOE_CODE_SESSION 0x00  /* session data, not discovery */
#define PPP_PROTO_IPV4 0x0021
#define PPP_PROTO_IPV6 0x0057

/* 2. Events are named EV_<LAYER>_<PROBLEM> and live in enum decode_event
 * (decode.h), with a lower-case name in decode.c's event_names[]. The
 * defines stand in for them here only. */
#define EV_PPPOE_TRUNCATED EV_LINK_TRUNCATED
#define EV_PPPOE_BAD_LEN EV_LINK_TRUNCATED

/* 3. The prototype goes in layers.h, next to its neighbours. */
enum decode_result decode_pppoe(struct cursor *c, uint32_t wire,
				struct pkt_meta *m, unsigned *ipver);

/* 4. The layer: c starts at its first byte; wire is how many bytes of the
 * frame were on the wire from there (the bound for a declared length). */
enum decode_result decode_pppoe(struct cursor *c, uint32_t wire,
				struct pkt_meta *m, unsigned *ipver)
{
	uint8_t vt, code;
	uint16_t session, len, proto;

	/* a. Read every field through the cursor into locals, in header
	 * order; never cast the buffer to a struct. A failed accessor does
	 * not advance, and the first failure is the event. Checking
	 * cur_has() for the whole fixed header first keeps the chain honest
	 * about which event a short capture gets. */
	if (!cur_has(c, 8) || !cur_get_u8(c, &vt) || !cur_get_u8(c, &code) ||
	    !cur_get_be16(c, &session) || !cur_get_be16(c, &len) ||
	    !cur_get_be16(c, &proto))
		return decode_fail(m, DECODE_TRUNCATED, EV_PPPOE_TRUNCATED);
	(void)session; /* copied out only to show the layout */

	/* b. Bad input is a result, never an assert. Say why at the check. */
	if (vt != PPPOE_VER_TYPE || code != PPPOE_CODE_SESSION)
		return decode_fail(m, DECODE_UNSUPPORTED, EV_NOT_IP);
	/* The length covers the PPP protocol field and the payload. A length
	 * beyond the wire is MALFORMED (a lie); beyond the capture it is
	 * only a short snaplen and the next layer reports TRUNCATED.
	 * wire >= 8 here: the driver passes at least the captured bytes. */
	if (len < 2 || len > wire - 6)
		return decode_fail(m, DECODE_MALFORMED, EV_PPPOE_BAD_LEN);

	/* c. Clamp the inner layer to min(captured, declared) so that
	 * padding after this layer's data is never read as a header. */
	cur_clamp(c, (size_t)len - 2);

	/* d. Hand over to the next layer; an unknown inner protocol is
	 * UNSUPPORTED with a named event, never dropped silently. */
	switch (proto) {
	case PPP_PROTO_IPV4:
		*ipver = 4;
		return DECODE_OK;
	case PPP_PROTO_IPV6:
		*ipver = 6;
		return DECODE_OK;
	default:
		return decode_fail(m, DECODE_UNSUPPORTED, EV_NOT_IP);
	}
}

/* 5. Loops over attacker-controlled structure (tags, headers, options)
 * get a paragraph on their invariant before the loop: what each pass
 * consumes, why it always advances, and the constant that bounds it.
 *
 * 6. Tests: hand-built frames in tests/test_decode.c with a comment per
 * field, one per event, and the frame added to the truncation sweep. */

#endif /* DECODE_TEMPLATE_CHECK */
