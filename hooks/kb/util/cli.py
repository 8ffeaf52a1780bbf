"""What the project's commands (make status, diff, mark-current, no-retranslation, new-page) share.

Their output may go to a reader that stops early (`make diff FILE=… | head`): the command then ends
quietly, as Unix tools do, instead of with Python's BrokenPipeError traceback.
"""
from __future__ import annotations

import os
import sys
from typing import Callable

SIGPIPE_STATUS = 141   # 128 + SIGPIPE: what a shell reports for a writer whose reader went away


def run(main: Callable[..., int], *args) -> int:
    """main(*args)'s exit status; a closed standard output ends it with SIGPIPE_STATUS and no message."""
    try:
        status = main(*args)
        sys.stdout.flush()   # inside the try: a buffered write may meet the closed pipe only now
        return status
    except BrokenPipeError:
        # Python flushes stdout once more on exit, which would fail again and say so: point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return SIGPIPE_STATUS
