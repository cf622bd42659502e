// SPDX-License-Identifier: GPL-2.0-or-later
/* CRC32C against RFC 3720 appendix B.4 (digest bytes as on the wire). */
#include <string.h>

#include "check_util.h"
#include "crc32c.h"

static const uint8_t b4_read_cmd[48] = {
	0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

enum { V_ZERO, V_ONES, V_INC, V_DEC, V_READ };
static const struct {
	int	kind;
	uint8_t	wire[4];	/* digest bytes as transmitted */
} vectors[] = {
	{ V_ZERO, { 0xaa, 0x36, 0x91, 0x8a } },
	{ V_ONES, { 0x43, 0xab, 0xa8, 0x62 } },
	{ V_INC,  { 0x4e, 0x79, 0xdd, 0x46 } },
	{ V_DEC,  { 0x5c, 0xdb, 0x3f, 0x11 } },
	{ V_READ, { 0x56, 0x3a, 0x96, 0xd9 } },
};

static size_t
fill(int kind, uint8_t *buf)
{
	for (int i = 0; i < 32; i++)
		buf[i] = kind == V_ZERO ? 0 : kind == V_ONES ? 0xff :
		    kind == V_INC ? (uint8_t)i : (uint8_t)(31 - i);
	if (kind == V_READ) {
		memcpy(buf, b4_read_cmd, sizeof(b4_read_cmd));
		return sizeof(b4_read_cmd);
	}
	return 32;
}

START_TEST(test_crc32c_rfc3720_vectors)
{
	uint8_t buf[64];
	size_t n = fill(vectors[_i].kind, buf);
	uint32_t c = crc32c(0, buf, n);
	uint8_t wire[4] = { (uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24) };

	ck_assert_mem_eq(wire, vectors[_i].wire, 4);
}
END_TEST

START_TEST(test_crc32c_check_value)
{
	/* The catalogue check value of CRC-32C. */
	ck_assert_uint_eq(crc32c(0, "123456789", 9), 0xe3069283u);
	ck_assert_uint_eq(crc32c(0, "", 0), 0);
}
END_TEST

START_TEST(test_crc32c_chaining_any_split)
{
	uint8_t buf[1000];
	uint32_t whole;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	whole = crc32c(0, buf, sizeof(buf));
	/* Every split point, including unaligned ones the 8-byte loop sees. */
	for (size_t cut = 0; cut <= sizeof(buf); cut += 13)
		ck_assert_uint_eq(crc32c(crc32c(0, buf, cut), buf + cut, sizeof(buf) - cut), whole);
	ck_assert_uint_eq(crc32c(0, buf + 1, 999), crc32c(crc32c(0, buf + 1, 3), buf + 4, 996));
}
END_TEST

static Suite *
crc32c_suite(void)
{
	Suite *s = suite_create("crc32c");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_crc32c_rfc3720_vectors, 0,
	    sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_test(tc, test_crc32c_check_value);
	tcase_add_test(tc, test_crc32c_chaining_any_split);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(crc32c_suite)
