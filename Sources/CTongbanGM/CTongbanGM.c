// SM2, SM3 and HMAC-SM3 through the system's OpenSSL 3 libcrypto. See include/CTongbanGM.h.
//
// Each call makes and frees its own contexts: no state is shared between calls, so everything here may run on
// any thread at once. Keys are only read after they are made (OpenSSL 3 reference-counts an EVP_PKEY
// thread-safely and EVP_PKEY_CTX_new(key) takes its own reference).
#include "CTongbanGM.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#if OPENSSL_VERSION_MAJOR < 3
#error "Tongban's national algorithms need OpenSSL 3 (EVP_PKEY_CTX_set1_id, EVP_PKEY_is_a)"
#endif

void tb_gm_take_error(char *buffer, size_t length) {
    if (length == 0) return;
    unsigned long code = ERR_get_error();
    if (code == 0) {
        strncpy(buffer, "no OpenSSL error recorded", length - 1);
        buffer[length - 1] = 0;
    } else {
        ERR_error_string_n(code, buffer, length);
    }
    ERR_clear_error();
}

const char *tb_gm_openssl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }

int tb_gm_sm3(const uint8_t *data, size_t length, uint8_t *out) {
    unsigned int size = 0;
    return EVP_Digest(data, length, out, &size, EVP_sm3(), NULL) == 1 && size == 32;
}

int tb_gm_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t *out) {
    unsigned int size = 0;
    static const uint8_t empty = 0;
    if (key_length > 0x7fffffff) return 0;
    // HMAC() treats a NULL key as "reuse the last one"; an empty key must still be a key.
    return HMAC(EVP_sm3(), key_length ? key : &empty, (int)key_length, data, length, out, &size) != NULL
        && size == 32;
}

static tb_gm_key *require_sm2(EVP_PKEY *key) {
    if (key != NULL && !EVP_PKEY_is_a(key, "SM2")) {
        EVP_PKEY_free(key);
        ERR_raise_data(ERR_LIB_EVP, EVP_R_UNSUPPORTED_ALGORITHM, "the key is not an SM2 key");
        return NULL;
    }
    return key;
}

tb_gm_key *tb_gm_sm2_generate(void) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (context != NULL && EVP_PKEY_keygen_init(context) == 1) EVP_PKEY_keygen(context, &key);
    EVP_PKEY_CTX_free(context);
    return key;
}

tb_gm_key *tb_gm_sm2_private_from_pem(const char *pem, size_t length) {
    if (length > 0x7fffffff) return NULL;
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return require_sm2(key);
}

tb_gm_key *tb_gm_sm2_public_from_pem(const char *pem, size_t length) {
    if (length > 0x7fffffff) return NULL;
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return require_sm2(key);
}

tb_gm_key *tb_gm_sm2_public_from_spki(const uint8_t *der, size_t length) {
    if (length > 0x7fffffff) return NULL;
    const unsigned char *cursor = der;
    EVP_PKEY *key = d2i_PUBKEY(NULL, &cursor, (long)length);
    if (key != NULL && cursor != der + length) {
        EVP_PKEY_free(key);
        ERR_raise_data(ERR_LIB_EVP, EVP_R_DECODE_ERROR, "trailing bytes after the SubjectPublicKeyInfo");
        return NULL;
    }
    return require_sm2(key);
}

char *tb_gm_private_pem(const tb_gm_key *key, size_t *length) {
    BIO *bio = BIO_new(BIO_s_mem());
    char *result = NULL;
    if (bio != NULL && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) == 1) {
        char *data = NULL;
        long size = BIO_get_mem_data(bio, &data);
        if (size > 0 && (result = OPENSSL_malloc((size_t)size)) != NULL) {
            memcpy(result, data, (size_t)size);
            *length = (size_t)size;
        }
    }
    BIO_free(bio);
    return result;
}

uint8_t *tb_gm_public_spki(const tb_gm_key *key, size_t *length) {
    unsigned char *der = NULL;
    int size = i2d_PUBKEY(key, &der);
    if (size <= 0) return NULL;
    *length = (size_t)size;
    return der;
}

void tb_gm_free(void *buffer) { OPENSSL_free(buffer); }

void tb_gm_key_free(tb_gm_key *key) { EVP_PKEY_free(key); }

// A digest context set up for SM2 with SM3 and the distinguishing ID, for signing or verifying.
static EVP_MD_CTX *sm2_context(const tb_gm_key *key, const uint8_t *id, size_t id_length, int signing) {
    EVP_MD_CTX *digest = EVP_MD_CTX_new();
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new((EVP_PKEY *)key, NULL);
    if (digest == NULL || context == NULL || id_length > 0x7fffffff
        || EVP_PKEY_CTX_set1_id(context, id, (int)id_length) <= 0) {
        EVP_MD_CTX_free(digest);
        EVP_PKEY_CTX_free(context);
        return NULL;
    }
    // EVP_MD_CTX_set_pkey_ctx marks `context` as the caller's: EVP_MD_CTX_free leaves it, so each caller frees
    // both (release_context).
    EVP_MD_CTX_set_pkey_ctx(digest, context);
    int ready = signing ? EVP_DigestSignInit(digest, NULL, EVP_sm3(), NULL, (EVP_PKEY *)key)
                        : EVP_DigestVerifyInit(digest, NULL, EVP_sm3(), NULL, (EVP_PKEY *)key);
    if (ready != 1) {
        EVP_MD_CTX_free(digest);
        EVP_PKEY_CTX_free(context);
        return NULL;
    }
    return digest;
}

static void release_context(EVP_MD_CTX *digest) {
    EVP_PKEY_CTX *context = EVP_MD_CTX_get_pkey_ctx(digest);
    EVP_MD_CTX_free(digest);
    EVP_PKEY_CTX_free(context);
}

int tb_gm_sm2_sign(const tb_gm_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                   size_t length, uint8_t *signature, size_t *signature_length) {
    EVP_MD_CTX *digest = sm2_context(key, id, id_length, 1);
    if (digest == NULL) return 0;
    *signature_length = TB_GM_SM2_DER_SIGNATURE_MAX;
    int ok = EVP_DigestSign(digest, signature, signature_length, message, length) == 1;
    release_context(digest);
    return ok;
}

int tb_gm_sm2_verify(const tb_gm_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                     size_t length, const uint8_t *signature, size_t signature_length) {
    EVP_MD_CTX *digest = sm2_context(key, id, id_length, 0);
    if (digest == NULL) {
        ERR_clear_error();
        return -1;
    }
    int result = EVP_DigestVerify(digest, signature, signature_length, message, length);
    release_context(digest);
    if (result != 1) {
        // A wrong or malformed signature leaves reasons on the queue; they are not failures of ours.
        ERR_clear_error();
        return 0;
    }
    return 1;
}

int tb_gm_sm2_der_to_raw(const uint8_t *der, size_t length, uint8_t *raw64) {
    if (length > TB_GM_SM2_DER_SIGNATURE_MAX) return 0;
    const unsigned char *cursor = der;
    ECDSA_SIG *signature = d2i_ECDSA_SIG(NULL, &cursor, (long)length);
    int ok = 0;
    if (signature != NULL && cursor == der + length) {
        const BIGNUM *r = NULL, *s = NULL;
        ECDSA_SIG_get0(signature, &r, &s);
        ok = !BN_is_negative(r) && !BN_is_negative(s)
            && BN_bn2binpad(r, raw64, 32) == 32 && BN_bn2binpad(s, raw64 + 32, 32) == 32;
    }
    ECDSA_SIG_free(signature);
    if (!ok) ERR_clear_error();
    return ok;
}

int tb_gm_sm2_raw_to_der(const uint8_t *raw64, uint8_t *der, size_t *der_length) {
    ECDSA_SIG *signature = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw64, 32, NULL);
    BIGNUM *s = BN_bin2bn(raw64 + 32, 32, NULL);
    int ok = 0;
    if (signature != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(signature, r, s) == 1) {
        r = s = NULL; // owned by the signature now
        int size = i2d_ECDSA_SIG(signature, NULL);
        if (size > 0 && size <= TB_GM_SM2_DER_SIGNATURE_MAX) {
            unsigned char *cursor = der;
            ok = i2d_ECDSA_SIG(signature, &cursor) == size;
            *der_length = (size_t)size;
        }
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(signature);
    return ok;
}
