"""Public AI registers in and out: import inventories as manifests, export register entries."""
