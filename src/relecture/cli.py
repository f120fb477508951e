"""The ``relecture`` command: a thin click front over the domain modules.

Subcommands live in ``relecture.commands.*`` and are imported only when invoked, so that
``relecture review`` does not pay for the exporters and ``relecture check`` never loads Textual.
User errors (RelectureError) print one line and exit 2; ``--debug`` shows the traceback. ctrl+c
(SIGINT) prints one line and exits 130, as shells report it: every save is atomic, so a file
being written when it came is as it was, and files already done keep what was stored in them.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from relecture import __version__
from relecture.errors import RelectureError
from relecture.gcpause import freeze_at_exit, gc_paused, one_command_process, settle
from relecture.textsafe import visible_line

INTERRUPTED = 130  # 128 + SIGINT: the exit status of a program a ctrl+c ended

# name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "import": "relecture.commands.importing:import_command",
    "info": "relecture.commands.importing:info_command",
    "check": "relecture.commands.checking:check_command",
    "checks": "relecture.commands.checking:checks_command",
    "review": "relecture.commands.reviewing:review_command",
    "score": "relecture.commands.scoring:score_command",
    "agree": "relecture.commands.agreeing:agree_command",
    "merge": "relecture.commands.merging:merge_command",
    "merge-driver": "relecture.commands.merging:merge_driver_command",
    "export": "relecture.commands.exporting:export_command",
}


def _summary(name: str) -> str | None:
    """The docstring of command ``name``'s function, without importing its module."""
    import ast
    import importlib.util

    module_name, attribute = COMMANDS[name].split(":")
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        return None
    with open(spec.origin, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), spec.origin)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == attribute:
            return ast.get_docstring(node, clean=False)
    return None


class LazyGroup(click.Group):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # The process entry (console script, ``python -m relecture``): one command, then exit.
        # (click's test runner calls ``main`` instead, in a process that goes on.)
        one_command_process()
        return super().__call__(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        with gc_paused():  # importing a command's modules makes no garbage to collect
            module = importlib.import_module(module_name)
            settle()  # modules live as long as the process: no collection need scan them again
        return getattr(module, attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help`` from each command's docstring, read from its module's
        source: importing every command to list them loaded scipy, the exporters and the
        checks (1.7 CPU-s for a help screen)."""
        rows = [(name, _summary(name)) for name in self.list_commands(ctx)]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, click.Command(name, help=doc).get_short_help_str(limit)) for name, doc in rows])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RelectureError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            # Messages quote file names, ids and text from data: never raw controls on a terminal.
            click.echo(f"relecture: {visible_line(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo("relecture: interrupted (ctrl+c); the file in progress was left as it was", err=True)
            ctx.exit(INTERRUPTED)
        except click.BadParameter as exc:
            # A bad file argument (missing, a directory, unreadable) is bad input like any other:
            # one line naming it, not click's usage block.
            if isinstance(exc.param, click.Argument | click.Option) and isinstance(exc.param.type, click.Path):
                click.echo(f"relecture: {visible_line(exc.format_message())}", err=True)
                ctx.exit(2)
            raise


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="relecture")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """relecture: review machine and LLM translations in the terminal.

    Import a document, flag what a reviewer must look at, annotate (MQM), post-edit,
    approve, then export and score.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    freeze_at_exit()  # a command's process ends without the collector's passes over its objects


def run() -> None:  # pragma: no cover - console entry for ``python -m relecture``
    sys.exit(main())
