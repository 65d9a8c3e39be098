"""``python -m tempestweb_cli``: the same as the ``tempestweb`` command."""

from tempestweb_cli.main import cli

cli(prog_name="tempestweb")
