"""`python -m factcheck`, and the `factcheck` command: the kept answer when there is one (see
pipeline.answers), given before anything else is imported; else the command line."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from factcheck.pipeline import answers

    question = answers.asked(sys.argv[1:])
    if question is not None:
        status = answers.give(question)
        if status is not None:
            os._exit(status)
    # pydantic's plugins (found by scanning every installed distribution's entry points) are not asked to
    # watch or change how the ledger is validated; one set for this process is kept
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from factcheck.cli import main as command_line

    command_line(question)


if __name__ == "__main__":
    main()
