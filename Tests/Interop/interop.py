#!/usr/bin/env python3
"""Interoperability check of Tongban's RFC 9421 signatures against the independent Python implementation
`http-message-signatures` 3.0.0 (installed by `make interop-venv`).

  interop.py verify CASE.json   verify the request and the response (bound to it) that Tongban signed
  interop.py sign CASE.json     sign the request and a bound response with the case's private key,
                                print the four header values as JSON for Tongban to verify
"""
import base64
import json
import sys
from datetime import timedelta

import requests
from http_message_signatures import HTTPMessageSigner, HTTPMessageVerifier, HTTPSignatureKeyResolver
from http_message_signatures.algorithms import ECDSA_P256_SHA256, ED25519

ALGORITHMS = {"ecdsa-p256-sha256": ECDSA_P256_SHA256, "ed25519": ED25519}
REQUEST_COMPONENTS = ("@method", "@authority", "@path", "@query", "tongban-request-id", "content-digest", "content-type")
RESPONSE_COMPONENTS = ("@status", "content-digest", "content-type", "tongban-request-id", '"signature";req;key="tongban"')


class Keys(HTTPSignatureKeyResolver):
    def __init__(self, case):
        self.case = case

    def resolve_public_key(self, key_id):
        assert key_id == self.case["keyId"], key_id
        return self.case["publicKeyPem"].encode()

    def resolve_private_key(self, key_id):
        return self.case["privateKeyPem"].encode()


def make_request(data):
    prepared = requests.Request(data["method"], data["url"], data=base64.b64decode(data["body"])).prepare()
    for name, value in data["headers"]:
        prepared.headers[name] = value
    return prepared


def make_response(data, request):
    response = requests.Response()
    response.status_code = data["status"]
    for name, value in data["headers"]:
        response.headers[name] = value
    response._content = base64.b64decode(data["body"])
    response.request = request
    return response


def main():
    command, path = sys.argv[1], sys.argv[2]
    case = json.load(open(path))
    algorithm = ALGORITHMS[case["alg"]]
    keys = Keys(case)
    request = make_request(case["request"])
    if command == "verify":
        verifier = HTTPMessageVerifier(signature_algorithm=algorithm, key_resolver=keys)
        results = verifier.verify(request, max_age=timedelta(minutes=10),
                                  require_components=REQUEST_COMPONENTS, body=base64.b64decode(case["request"]["body"]))
        response = make_response(case["response"], request)
        response_results = verifier.verify(response, max_age=timedelta(minutes=10),
                                           require_components=RESPONSE_COMPONENTS,
                                           body=base64.b64decode(case["response"]["body"]))
        print(json.dumps({"verified": True, "request": list(results[0].covered_components.keys()),
                          "response": list(response_results[0].covered_components.keys())}, default=str))
    elif command == "sign":
        # Python computes its own Content-Digest of each body, which Tongban then checks.
        del request.headers["Content-Digest"]
        signer = HTTPMessageSigner(signature_algorithm=algorithm, key_resolver=keys)
        signer.sign(request, key_id=case["keyId"], covered_component_ids=REQUEST_COMPONENTS, label="tongban", include_alg=True,
                    body=base64.b64decode(case["request"]["body"]))
        response = make_response(case["response"], request)
        del response.headers["Content-Digest"]
        signer.sign(response, key_id=case["keyId"], covered_component_ids=RESPONSE_COMPONENTS, label="tongban", include_alg=True,
                    body=base64.b64decode(case["response"]["body"]))
        print(json.dumps({
            "requestContentDigest": request.headers["Content-Digest"], "responseContentDigest": response.headers["Content-Digest"],
            "requestSignatureInput": request.headers["Signature-Input"], "requestSignature": request.headers["Signature"],
            "responseSignatureInput": response.headers["Signature-Input"], "responseSignature": response.headers["Signature"],
        }))
    else:
        raise SystemExit("usage: interop.py verify|sign CASE.json")


if __name__ == "__main__":
    main()
