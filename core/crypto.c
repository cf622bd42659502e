// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Load libcrypto on first use (see crypto.h for why).  The symbol names
 * come from the headers we compiled against, so macros such as OpenSSL 3's
 * EVP_MD_size -> EVP_MD_get_size resolve to the function really exported.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include <iscsi/errors.h>
#include "crypto.h"
#include "err.h"

#define CRYPTO_STR(x)	CRYPTO_STR2(x)
#define CRYPTO_STR2(x)	#x

static const struct crypto_sym {
	const char	*name;
	size_t		 off;
} crypto_syms[] = {
	{ CRYPTO_STR(EVP_MD_CTX_new),		offsetof(struct crypto_fns, md_ctx_new) },
	{ CRYPTO_STR(EVP_MD_CTX_free),		offsetof(struct crypto_fns, md_ctx_free) },
	{ CRYPTO_STR(EVP_get_digestbyname),	offsetof(struct crypto_fns, get_digestbyname) },
	{ CRYPTO_STR(EVP_MD_size),		offsetof(struct crypto_fns, md_size) },
	{ CRYPTO_STR(EVP_DigestInit_ex),	offsetof(struct crypto_fns, digest_init) },
	{ CRYPTO_STR(EVP_DigestUpdate),		offsetof(struct crypto_fns, digest_update) },
	{ CRYPTO_STR(EVP_DigestFinal_ex),	offsetof(struct crypto_fns, digest_final) },
};

static struct crypto_fns crypto_fns;
static const char *crypto_failed;	/* what went wrong, NULL if loaded */
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void
crypto_load(void)
{
	void *h = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		crypto_failed = dlerror();
		return;
	}
	for (size_t i = 0; i < sizeof(crypto_syms) / sizeof(crypto_syms[0]); i++) {
		void *f = dlsym(h, crypto_syms[i].name);

		if (f == NULL) {
			crypto_failed = crypto_syms[i].name;
			return;		/* h stays open: harmless, and nothing else is used */
		}
		/* dlsym() returns function addresses as void * (POSIX) */
		*(void **)(void *)((char *)&crypto_fns + crypto_syms[i].off) = f;
	}
}

const struct crypto_fns *
crypto_get(void)
{
	pthread_once(&crypto_once, crypto_load);
	if (crypto_failed != NULL) {
		err_set(ISCSI_ERR_INTERNAL, "cannot use %s for CHAP (%s): is libssl3/libcrypto installed?",
			LIBCRYPTO_SONAME, crypto_failed);
		return NULL;
	}
	return &crypto_fns;
}
