"""Someone else's server: what an importer downloads is read within a size and a time, whatever the server does."""

from __future__ import annotations

import time
import urllib.request

from . import __version__


def download(address: str, most: int, seconds: float, command: str) -> bytes:
    """The bytes at `address`, at most `most` + 1 of them (the caller tells the file that is too large), for at
    most `seconds`: TimeoutError past them. OSError, ValueError or http.client.HTTPException where it cannot be
    had. `command` names the command in the User-Agent."""
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(address, headers={"User-Agent": f"mujaz/{__version__} ({command})"})
    chunks, size = [], 0
    with urllib.request.urlopen(request, timeout=seconds) as response:
        while size <= most:
            if time.monotonic() > deadline:  # a server that sends a byte now and then never times out a read
                raise TimeoutError
            chunk = response.read1(64 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)
