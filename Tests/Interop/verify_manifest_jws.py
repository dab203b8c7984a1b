#!/usr/bin/env python3
"""Verifies a signed federation manifest (docs/protocol.md, "The federation manifest") with jwcrypto 1.5.6, a
JOSE implementation independent of Tongban (installed by `make interop-venv`).

usage: verify_manifest_jws.py AUTHORITY_CERT_PEM MANIFEST_JWS

Loads the authority's certificate, checks that the JWS header's x5c carries that very certificate, verifies the
compact JWS with ES256 only, and prints the payload's serial. Exits 1 when anything is refused.
"""
import base64
import json
import sys

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from jwcrypto import jwk, jws


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    cert_path, token_path = argv[1], argv[2]
    with open(cert_path, "rb") as f:
        pem = f.read()
    key = jwk.JWK.from_pem(pem)
    with open(token_path, encoding="ascii") as f:
        token = f.read().strip()
    signed = jws.JWS()
    try:
        signed.deserialize(token)
        signed.verify(key, alg="ES256")
    except Exception as error:  # jwcrypto raises InvalidJWSSignature, InvalidJWSObject, …
        print(f"refused: {type(error).__name__}: {error}")
        return 1
    header = signed.jose_header
    der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
    if header.get("alg") != "ES256" or header.get("typ") != "tongban-federation-manifest+jws":
        print(f"refused: header {header.get('alg')} {header.get('typ')}")
        return 1
    if not header.get("x5c") or base64.b64decode(header["x5c"][0]) != der:
        print("refused: the header's x5c is not the authority certificate given")
        return 1
    manifest = json.loads(signed.payload)
    print(f"verified serial {manifest['serial']} of federation {manifest['federation']} "
          f"({len(manifest['members'])} members, expires {manifest['expiresAt']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
