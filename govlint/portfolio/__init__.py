"""The portfolio: all manifests and the registry together, and the checks across them."""
