"""SPARQLWrapper and rdflib against a live Pedigree endpoint, unchanged.

Run by tests/live.rs with the endpoint URL; prints `ok <check>` for each check that
passes and exits non-zero on the first that fails, with the reason.
"""

import csv
import io
import sys

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

ENDPOINT = sys.argv[1]
PREFIXES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX ped: <https://pedigree.example/ns#>
"""
SELECT = PREFIXES + """
SELECT ?base WHERE {
  ?m dcterms:identifier "avocado" ; prov:wasDerivedFrom ?b .
  ?b dcterms:identifier ?base .
} ORDER BY ?base
"""
ASK = PREFIXES + 'ASK { ?m dcterms:identifier "avocado" ; prov:wasDerivedFrom+ ?b . ?b dcterms:identifier "qwen" }'
CONSTRUCT = PREFIXES + """
CONSTRUCT { ?m ped:distilledFrom ?b } WHERE { ?m dcterms:identifier "avocado" ; ped:distilledFrom ?b }
"""
EXPECTED_BASES = ["gemma", "gpt-oss", "qwen"]


def check(name, condition, detail):
    if not condition:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


def wrapper(query, return_format):
    client = SPARQLWrapper(ENDPOINT)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client.query().convert()


json_result = wrapper(SELECT, JSON)
bases = [b["base"]["value"] for b in json_result["results"]["bindings"]]
check("sparqlwrapper select json", bases == EXPECTED_BASES, bases)

xml_result = wrapper(SELECT, XML)
xml_bases = [node.firstChild.data for node in xml_result.getElementsByTagName("literal")]
check("sparqlwrapper select xml", xml_bases == EXPECTED_BASES, xml_bases)

csv_result = wrapper(SELECT, CSV)
rows = list(csv.reader(io.StringIO(csv_result.decode("utf-8"))))
check("sparqlwrapper select csv", rows == [["base"]] + [[b] for b in EXPECTED_BASES], rows)

ask_result = wrapper(ASK, JSON)
check("sparqlwrapper ask", ask_result.get("boolean") is True, ask_result)

turtle = wrapper(CONSTRUCT, TURTLE)
graph = rdflib.Graph().parse(data=turtle, format="turtle")
check("sparqlwrapper construct turtle", len(graph) == 3, turtle)

store = SPARQLStore(ENDPOINT)
rdflib_graph = rdflib.Graph(store)
rows = [str(row.base) for row in rdflib_graph.query(SELECT)]
check("rdflib select", rows == EXPECTED_BASES, rows)

ask = rdflib_graph.query(ASK)
check("rdflib ask", ask.askAnswer is True, ask.askAnswer)

constructed = rdflib_graph.query(CONSTRUCT)
triples = list(constructed.graph) if constructed.graph is not None else list(constructed)
check("rdflib construct", len(triples) == 3, triples)
