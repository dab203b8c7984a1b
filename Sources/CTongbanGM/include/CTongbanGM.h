// The one place Tongban calls the system's OpenSSL libcrypto (SM2, SM3, HMAC-SM3).
//
// Only `TongbanGM` imports this module. The header names no OpenSSL type, so no OpenSSL header reaches Swift
// and nothing can be confused with the BoringSSL copies that swift-crypto and swift-nio-ssl carry (their
// symbols are prefixed `CCryptoBoringSSL_` / `CNIOBoringSSL_`; libcrypto's are not, so the two link side by side).
#ifndef CTONGBAN_GM_H
#define CTONGBAN_GM_H

#include <stddef.h>
#include <stdint.h>

/// An OpenSSL `EVP_PKEY` holding an SM2 key; opaque to Swift.
typedef struct evp_pkey_st tb_gm_key;

/// Writes the text of the oldest error on this thread's OpenSSL error queue into `buffer`, then clears the queue.
void tb_gm_take_error(char *buffer, size_t length);

/// The OpenSSL version libcrypto reports at run time (e.g. "OpenSSL 3.0.19 27 Jan 2026").
const char *tb_gm_openssl_version(void);

/// SM3 (GM/T 0004-2012) of `data`: 32 bytes into `out`. Returns 1 on success.
int tb_gm_sm3(const uint8_t *data, size_t length, uint8_t *out);

/// HMAC (RFC 2104) with SM3: 32 bytes into `out`. Returns 1 on success.
int tb_gm_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t *out);

/// A new SM2 key pair on the recommended curve (GM/T 0003.5), or NULL.
tb_gm_key *tb_gm_sm2_generate(void);

/// A private key from PEM (PKCS#8 "PRIVATE KEY", or SEC1 "EC PRIVATE KEY"); NULL unless it is an SM2 key.
tb_gm_key *tb_gm_sm2_private_from_pem(const char *pem, size_t length);

/// A public key from PEM ("PUBLIC KEY", SubjectPublicKeyInfo); NULL unless it is an SM2 key.
tb_gm_key *tb_gm_sm2_public_from_pem(const char *pem, size_t length);

/// A public key from SubjectPublicKeyInfo DER; NULL unless it is an SM2 key.
tb_gm_key *tb_gm_sm2_public_from_spki(const uint8_t *der, size_t length);

/// The private key as PKCS#8 PEM: a buffer to release with `tb_gm_free`, or NULL.
char *tb_gm_private_pem(const tb_gm_key *key, size_t *length);

/// The public key as SubjectPublicKeyInfo DER: a buffer to release with `tb_gm_free`, or NULL.
uint8_t *tb_gm_public_spki(const tb_gm_key *key, size_t *length);

/// Releases a buffer this module returned.
void tb_gm_free(void *buffer);

/// Releases a key.
void tb_gm_key_free(tb_gm_key *key);

/// The largest DER SM2 signature: SEQUENCE of two INTEGERs of up to 33 bytes each.
#define TB_GM_SM2_DER_SIGNATURE_MAX 72

/// Signs `message` with SM2: Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), e = SM3(Z ‖ M) (GM/T 0003.2).
/// Writes the DER signature (GM/T 0009: SEQUENCE { r INTEGER, s INTEGER }) into `signature` (at least
/// TB_GM_SM2_DER_SIGNATURE_MAX bytes) and its length into `signature_length`. Returns 1 on success.
int tb_gm_sm2_sign(const tb_gm_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                   size_t length, uint8_t *signature, size_t *signature_length);

/// Verifies a DER SM2 signature. Returns 1 if valid, 0 if not (the error queue is cleared), -1 on an internal failure.
int tb_gm_sm2_verify(const tb_gm_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                     size_t length, const uint8_t *signature, size_t signature_length);

/// A DER signature as r ‖ s, each 32 bytes big-endian. Returns 1 on success, 0 if it is not one DER
/// signature with values that fit in 32 bytes.
int tb_gm_sm2_der_to_raw(const uint8_t *der, size_t length, uint8_t *raw64);

/// r ‖ s (64 bytes) as a DER signature into `der` (at least TB_GM_SM2_DER_SIGNATURE_MAX bytes). Returns 1 on success.
int tb_gm_sm2_raw_to_der(const uint8_t *raw64, uint8_t *der, size_t *der_length);

#endif
