// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsi-iname: print a new random initiator name "<prefix>:<hex>" in
 * open-iscsi's format (see iname_generate()).  Same options, messages and
 * exit codes as open-iscsi's tool; nothing is written to disk.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "iname.h"

static void
usage(void)
{
	fprintf(stderr,
		"Usage: iscsi-iname [OPTIONS]\n"
		"Where OPTIONS are from:\n"
		"    -p/--prefix <prefix>          -- set IQN prefix [%s]\n"
		"    -g/--generate-iname-prefix    -- generate the InitiatorName= prefix\n"
		"where <prefix> has max length of %d\n",
		ISCSI_IQN_PREFIX, INAME_PREFIX_MAX);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prefix", required_argument, NULL, 'p' },
		{ "generate-iname-prefix", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prefix = ISCSI_IQN_PREFIX;
	char name[512];
	int c, with_key = 0;

	while ((c = getopt_long(argc, argv, "p:gh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			prefix = optarg;
			break;
		case 'g':
			with_key = 1;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unknown argument(s)\n");
		usage();
		return 1;
	}
	if (strlen(prefix) > INAME_PREFIX_MAX) {
		fprintf(stderr, "error: prefix too long\n");
		usage();
		return 1;
	}
	if (iname_generate(prefix, name, sizeof(name)) != ISCSI_OK) {
		fprintf(stderr, "error: %s\n", err_detail(ISCSI_ERR) ? err_detail(ISCSI_ERR) :
			"cannot generate a name");
		return 1;
	}
	printf("%s%s\n", with_key ? "InitiatorName=" : "", name);
	return 0;
}
