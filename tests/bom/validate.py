"""Validates BOM files against the official JSON schemas of their formats.

    validate.py cyclonedx FILE...   CycloneDX 1.6, with cyclonedx-python-lib's own
                                    validator and the schemas it ships
    validate.py spdx FILE...        SPDX 3.0.1, against the JSON schema lib4sbom ships
    validate.py installed           whether both schemas are there (exit 0 or 3)

Prints `ok FILE` for each valid file and every error of each invalid one, and exits 0
when all are valid, 1 when one is not. When a schema package is missing it prints
`SKIPPED: …` and exits 3, so the caller can tell "not checked" from "valid"
(tests/setup installs the packages, from tests/bom/requirements.txt).
"""

import json
import sys
from importlib import resources

SKIPPED = 3


def skip(why):
    print(f"SKIPPED: {why}; run tests/setup to install tests/bom/requirements.txt")
    sys.exit(SKIPPED)


def cyclonedx_checker():
    """A function from a document's text to its errors, against CycloneDX 1.6."""
    try:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonValidator
    except ImportError as error:
        skip(f"cyclonedx-python-lib is not installed ({error})")
    validator = JsonValidator(SchemaVersion.V1_6)

    def errors(text):
        found = validator.validate_str(text, all_errors=True)
        return [f"{e.data.json_path}: {e.data.message[:400]}" for e in found or []]

    return errors


def spdx_checker():
    """A function from a document's text to its errors, against SPDX 3.0.1."""
    try:
        import jsonschema

        schema_text = (
            resources.files("lib4sbom").joinpath("schemas/spdx/3.0-schema.json").read_text()
        )
    except (ImportError, FileNotFoundError) as error:
        skip(f"the SPDX 3.0.1 schema (package lib4sbom) is not installed ({error})")
    schema = json.loads(schema_text)
    context = schema["properties"]["@context"]["const"]
    if context != "https://spdx.org/rdf/3.0.1/spdx-context.jsonld":
        skip(f"lib4sbom's SPDX schema is for {context}, not SPDX 3.0.1")
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)

    def errors(text):
        found = validator.iter_errors(json.loads(text))
        return [f"{e.json_path}: {e.message[:400]}" for e in found]

    return errors


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "installed":
        cyclonedx_checker()
        spdx_checker()
        print("both schemas are installed")
        sys.exit(0)
    if len(sys.argv) < 3 or sys.argv[1] not in ("cyclonedx", "spdx"):
        print(__doc__)
        sys.exit(2)
    check = cyclonedx_checker() if sys.argv[1] == "cyclonedx" else spdx_checker()
    failed = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as file:
            errors = check(file.read())
        if errors:
            failed = True
            print(f"invalid {path}:")
            for error in errors:
                print(f"  {error}")
        else:
            print(f"ok {path}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
