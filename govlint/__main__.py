"""``python -m govlint``: the same as the ``govlint`` command."""

from govlint.cli import main

main(prog_name="govlint")
