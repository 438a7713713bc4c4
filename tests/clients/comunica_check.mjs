// Comunica (@comunica/query-sparql 4) against a live Pedigree endpoint, unchanged.
// Run by tests/live.rs with the endpoint URL; prints `ok <check>` per passing check
// and exits non-zero on the first failure.
import { QueryEngine } from '@comunica/query-sparql';

const endpoint = process.argv[2];
const engine = new QueryEngine();
const context = { sources: [{ type: 'sparql', value: endpoint }] };
const prefixes = `
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX ped: <https://pedigree.example/ns#>
`;

function check(name, condition, detail) {
  if (!condition) {
    console.log(`FAIL ${name}: ${JSON.stringify(detail)}`);
    process.exit(1);
  }
  console.log(`ok ${name}`);
}

const bindings = await (await engine.queryBindings(`${prefixes}
  SELECT ?base WHERE { ?m dcterms:identifier "avocado" ; prov:wasDerivedFrom ?b . ?b dcterms:identifier ?base }`, context)).toArray();
const bases = bindings.map((b) => b.get('base').value).sort();
check('comunica select', JSON.stringify(bases) === JSON.stringify(['gemma', 'gpt-oss', 'qwen']), bases);

const ask = await engine.queryBoolean(`${prefixes}
  ASK { ?m dcterms:identifier "avocado" ; prov:wasDerivedFrom+ ?b . ?b dcterms:identifier "qwen" }`, context);
check('comunica ask', ask === true, ask);

const quads = await (await engine.queryQuads(`${prefixes}
  CONSTRUCT { ?m ped:distilledFrom ?b } WHERE { ?m dcterms:identifier "avocado" ; ped:distilledFrom ?b }`, context)).toArray();
check('comunica construct', quads.length === 3, quads.length);
