"""The language server (``govlint lsp``): govlint's findings, explanations and fixes in the editor.

Only ``govlint lsp`` imports this package: pygls and lsprotocol never load for ``check``.
"""
