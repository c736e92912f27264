"""Someone else's server: what an importer downloads is read within a size and a time, whatever the server does."""

from __future__ import annotations

import http.client
import time
import urllib.request

from . import __version__


class Unfetched(Exception):
    """An address that gave nothing: `reason` as the network or the server put it, or the time it was given."""

    def __init__(self, reason: str, timed_out: bool = False):
        super().__init__(reason)
        self.reason, self.timed_out = reason, timed_out


def download(address: str, most: int, seconds: float, command: str) -> bytes:
    """The bytes at `address`, at most `most` + 1 of them (the caller tells the file that is too large), for at
    most `seconds`; Unfetched where it cannot be had within them. `command` names the command in the User-Agent."""
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(address, headers={"User-Agent": f"mujaz/{__version__} ({command})"})
    chunks, size = [], 0
    try:
        with urllib.request.urlopen(request, timeout=seconds) as response:
            while size <= most:
                if time.monotonic() > deadline:  # a server that sends a byte now and then never times out a read
                    raise TimeoutError
                chunk = response.read1(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except TimeoutError:
        raise Unfetched(f"no answer within {seconds:.0f} s", timed_out=True) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # URLError is an OSError
        raise Unfetched(str(getattr(exc, "reason", exc))) from None
    return b"".join(chunks)
