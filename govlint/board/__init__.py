"""The board report: the AI portfolio at a glance, as HTML, Markdown or JSON.

``aggregate`` computes the numbers from a check outcome (pure); ``html`` and ``markdown``
render them; ``command`` is the ``govlint report`` command.
"""
