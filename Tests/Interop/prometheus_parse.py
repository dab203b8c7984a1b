#!/usr/bin/env python3
"""Parses Prometheus exposition text (the file named, or stdin) with the official prometheus_client parser and prints every
sample as JSON: [{"name": ..., "labels": {...}, "value": ...}, ...], plus each family's type.
Exits non-zero (with the parser's message) when the text does not parse."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else sys.stdin.read()
samples = []
types = {}
for family in text_string_to_metric_families(text):
    types[family.name] = family.type
    for sample in family.samples:
        samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value})
print(json.dumps({"types": types, "samples": samples}))
