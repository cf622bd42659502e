/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few libcrypto digest functions CHAP needs, loaded from LIBCRYPTO_SONAME the
 * first time they are wanted instead of linked: most iscsiadm runs never
 * authenticate, and relocating libcrypto at start cost them 1.3 ms each.
 * Not a crypto abstraction: the pointers have libcrypto's own types.
 */
#ifndef ISCSIKIT_CRYPTO_H
#define ISCSIKIT_CRYPTO_H

#include <openssl/evp.h>

struct crypto_fns {
	__typeof__(&EVP_MD_CTX_new)		md_ctx_new;
	__typeof__(&EVP_MD_CTX_free)		md_ctx_free;
	__typeof__(&EVP_get_digestbyname)	get_digestbyname;
	__typeof__(&EVP_MD_size)		md_size;
	__typeof__(&EVP_DigestInit_ex)		digest_init;
	__typeof__(&EVP_DigestUpdate)		digest_update;
	__typeof__(&EVP_DigestFinal_ex)		digest_final;
};

/*
 * The loaded functions, or NULL after err_set(ISCSI_ERR_INTERNAL, ...)
 * naming the library and what failed.  Loaded once; thread-safe.
 */
const struct crypto_fns *crypto_get(void);

#endif
