#!/usr/bin/env python3
"""Re-verifies a `tongbanctl audit export` (JSON Lines; the file named, or stdin) from docs/protocol.md alone
("The audit chain: what is hashed"), with the standard library only. Prints "N entries verified" and exits 0,
or names the first broken entry and why and exits 1."""
import decimal, hashlib, json, sys

GENESIS = "0" * 64
INTEGERS = {"bytes", "sequence", "status", "subjectCount"}
STRINGS = {"decision", "departmentCode", "departmentName", "direction", "endpoint", "hash", "matter", "operatorId", "peer",
           "previousHash", "reasonCode", "requestId", "requestSignature", "resource", "responseSignature", "subjectDigest", "time"}
MEMBERS = INTEGERS | STRINGS | {"fields", "latencyMilliseconds"}
OPTIONAL = {"caseReference"}  # a string, present only when the exchange carried a case reference
SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}

def string(s):
    return '"' + "".join(SHORT.get(c) or ("\\u%04x" % ord(c) if c < " " else c) for c in s) + '"'

def double(x):
    if x != x or x in (float("inf"), float("-inf")): return "null"
    if x == 0: return "-0" if str(x).startswith("-") else "0"
    t = decimal.Decimal(repr(abs(x))).normalize().as_tuple()  # repr: the shortest digits that read back as x
    ds, sign = "".join(map(str, t.digits)), "-" if x < 0 else ""
    n = len(ds); e = n - 1 + t.exponent                          # |x| = d1.d2...dn × 10^e
    if abs(x) > 2 ** 53 or e < -4:
        return sign + ds[0] + ("." + ds[1:] if n > 1 else "") + "e" + ("-" if e < 0 else "+") + "%02d" % abs(e)
    if e < 0: return sign + "0." + "0" * (-e - 1) + ds
    if e + 1 < n: return sign + ds[:e + 1] + "." + ds[e + 1:]
    return sign + ds + "0" * (e + 1 - n)

def chained_text(entry):
    missing, unexpected = sorted(MEMBERS - set(entry)), sorted(set(entry) - MEMBERS - OPTIONAL)
    if missing or unexpected: raise ValueError("missing members %s, unexpected members %s" % (missing, unexpected))
    out = []
    for key in sorted(entry, key=lambda k: k.encode()):
        v = "" if key == "hash" else entry[key]
        if key in INTEGERS and type(v) is int: text = str(v)
        elif key in STRINGS | OPTIONAL and isinstance(v, str): text = string(v)
        elif key == "fields" and isinstance(v, list) and all(isinstance(f, str) for f in v): text = "[" + ",".join(map(string, v)) + "]"
        elif key == "latencyMilliseconds" and type(v) in (int, float): text = double(float(v))
        else: raise ValueError("%s is not of its type: %r" % (key, v))
        out.append(string(key) + ":" + text)
    return "{" + ",".join(out) + "}"

def main():
    data = open(sys.argv[1], "rb").read() if len(sys.argv) > 1 else sys.stdin.buffer.read()
    lines = [line for line in data.split(b"\n") if line.strip()]
    previous, expected, first = None, None, None
    for number, line in enumerate(lines, 1):
        try:
            entry = json.loads(line)
            digest = hashlib.sha256(chained_text(entry).encode("utf-8")).hexdigest()
        except (ValueError, UnicodeError, AttributeError, TypeError, OverflowError) as error:
            return fail("line %d" % number if expected is None else "entry %d (line %d)" % (expected, number), "not an audit entry: %s" % error)
        sequence = entry["sequence"]
        if expected is None:  # a full export starts at 1 from 64 zeros; a --since export from its first previousHash
            if sequence < 1: return fail("entry %d" % sequence, "sequences start at 1")
            first, expected, previous = sequence, sequence, (GENESIS if sequence == 1 else entry["previousHash"])
        if sequence != expected:
            return fail("entry %d" % expected, "it is missing or out of place (the next line holds entry %d)" % sequence)
        if entry["previousHash"] != previous:
            return fail("entry %d" % sequence, "it does not follow the entry before it (previousHash %s, not %s)" % (entry["previousHash"], previous))
        if digest != entry["hash"]:
            return fail("entry %d" % sequence, "it was altered after it was written (its text hashes to %s, not %s)" % (digest, entry["hash"]))
        previous, expected = entry["hash"], expected + 1
    if first not in (None, 1):
        print("note: the export starts at entry %d; its previousHash must be the hash of entry %d in the export before it" % (first, first - 1))
    print("%d entries verified" % len(lines) + ("" if first is None else " (entries %d to %d)" % (first, expected - 1)))
    return 0

def fail(where, reason):
    print("audit chain broken at %s: %s" % (where, reason))
    return 1

if __name__ == "__main__":
    sys.exit(main())
