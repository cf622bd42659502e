// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the NETLINK_ISCSI parser: whatever the kernel (or
 * an attacker able to send on the socket) delivers, kif_parse and
 * kif_parse_stats must stay inside the bytes they were given.  Built by
 * `make fuzz-kif` when clang is available; run ./tests/fuzz-kif -max_total_time=60.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kif_event ev;
	struct kif_stats_view v;
	uint8_t *copy = malloc(size ? size : 1);	/* exact size: ASan sees overreads */
	size_t off = 0, used;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	while (off < size) {
		if (kif_parse(copy + off, size - off, &ev, &used) == 0 &&
		    kif_parse_stats(&ev, &v) == 0) {
			char desc[65];
			uint64_t val;

			for (uint32_t i = 0; i < v.ncustom; i++)
				kif_stats_custom_get(&v, i, desc, &val);
		}
		if (used == 0)
			break;
		off += used;
	}
	free(copy);
	return 0;
}
