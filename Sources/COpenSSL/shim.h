#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

// Hide everything OpenSSL 3.0 deprecated, so that no deprecated call can creep in.
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

// Swift imports neither function-like macros nor variadic functions, and a
// system library target compiles no .c files: what Swift cannot reach is
// wrapped here, static inline, with the module's prefix.

static inline void copenssl_free(void *ptr) { OPENSSL_free(ptr); }

static inline long copenssl_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

#endif
