"""The rule engine: compile YAML rules to JSON Schema and evaluate them on manifests."""
