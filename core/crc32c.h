/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC32C (Castagnoli), the iSCSI header and data digest (RFC 7143 §11.1,
 * test vectors in RFC 3720 appendix B.4).  Software slicing-by-8; no
 * hardware path.  Not a general checksum library.
 */
#ifndef ISCSIKIT_CRC32C_H
#define ISCSIKIT_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * CRC32C of @len bytes at @buf continuing from @crc.  Start with 0; the
 * pre- and post-inversion are inside, so crc32c(crc32c(0, a), b) is the
 * CRC of a||b.  The digest goes on the wire least significant byte first
 * (pdu_put_digest()).
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
