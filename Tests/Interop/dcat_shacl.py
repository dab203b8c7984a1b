#!/usr/bin/env python3
"""Validates a DCAT-AP JSON-LD rendering against the official DCAT-AP 3.0.1 SHACL shapes with pyshacl.

  dcat_shacl.py RENDERING.jsonld    exit 0 when it conforms; the report is printed either way
"""
import os
import sys

from pyshacl import validate
from rdflib import Graph

shapes = Graph().parse(os.path.join(os.path.dirname(__file__), "dcat-ap-3.0.1-shapes.ttl"), format="turtle")
data = Graph().parse(sys.argv[1], format="json-ld")
conforms, _, report = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
print(f"triples: {len(data)}")
print(report)
sys.exit(0 if conforms else 1)
