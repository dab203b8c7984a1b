#!/usr/bin/env python3
"""Checks a signed federation manifest's payload against docs/federation-manifest.schema.json, with the PyPI
`jsonschema` package (draft 2020-12) — an implementation nobody here wrote.

Usage: manifest_schema_check.py SCHEMA JWS_FILE

Decodes the payload (the JWS compact serialization's second part, base64url) and validates it. It does not check
the signature (the interop test does that with a JOSE library). Prints "manifest serial N valid" and exits 0, or
prints every schema error (its JSON path and message) and exits 1; 2 when the files cannot be read."""
import base64, json, sys

from jsonschema import Draft202012Validator


def payload(jws_text):
    parts = jws_text.strip().split(".")
    if len(parts) != 3:
        raise ValueError("not a JWS in compact serialization: %d parts, not 3" % len(parts))
    part = parts[1]
    if part.endswith("=") or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in part):
        raise ValueError("the payload is not unpadded base64url")
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8"))


def path(error):
    return "".join("[%d]" % p if isinstance(p, int) else "." + p for p in error.absolute_path).lstrip(".") or "(the manifest)"


def main(argv):
    if len(argv) != 3:
        print("usage: manifest_schema_check.py SCHEMA JWS_FILE", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        with open(argv[2], encoding="utf-8") as f:
            manifest = payload(f.read())
    except (OSError, ValueError) as e:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        print("error: %s" % e, file=sys.stderr)
        return 2
    except Exception as e:  # jsonschema.SchemaError
        print("error: %s: not a valid draft 2020-12 schema: %s" % (argv[1], getattr(e, "message", e)), file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(manifest), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        print("%s: %s" % (path(error), error.message))
    if errors:
        print("%s: %d schema error(s)" % (argv[2], len(errors)))
        return 1
    print("manifest serial %s valid" % manifest.get("serial"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
