"""Someone else's server: what an importer downloads is read within a size and a time, whatever the server does,
and only from the networks the one who named it may reach."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.request
from enum import IntEnum
from urllib.parse import urlsplit

from . import __version__


class Network(IntEnum):
    """How near a server is, as browsers rank it (Private Network Access): an address may be asked for by a page
    from its own network or a nearer one. A page on the internet may name any address; this program must not
    then ask the editor's router, a machine of the newsroom's network or this computer for it."""

    THIS_MACHINE = 0
    LOCAL = 1
    INTERNET = 2


class Unfetched(Exception):
    """An address that gave nothing: `reason` as the network or the server put it, or the time it was given."""

    def __init__(self, reason: str, timed_out: bool = False):
        super().__init__(reason)
        self.reason, self.timed_out = reason, timed_out


def download(address: str, most: int, seconds: float, command: str,
             reach: Network = Network.THIS_MACHINE) -> bytes:
    """The bytes at `address`, at most `most` + 1 of them (the caller tells the file that is too large), for at
    most `seconds`; Unfetched where it cannot be had within them, or where its server (or one it redirects to)
    is on a network nearer than `reach`. `command` names the command in the User-Agent."""
    return download_document(address, most, seconds, command, reach)[0]


def download_document(address: str, most: int, seconds: float, command: str,
                      reach: Network = Network.THIS_MACHINE) -> tuple[bytes, Network]:
    """`download`'s bytes, and the network of the server that gave them: the pictures a page or a feed names may
    be fetched from there or farther, never nearer."""
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(address, headers={"User-Agent": f"mujaz/{__version__} ({command})"})
    guard = _Guard(reach)
    chunks, size = [], 0
    try:
        with _opener(guard).open(request, timeout=seconds) as response:
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
    return b"".join(chunks), guard.network


def network_of(ip: str) -> Network:
    address = ipaddress.ip_address(ip.partition("%")[0])  # an IPv6 address may name its interface: fe80::1%eth0
    address = getattr(address, "ipv4_mapped", None) or address
    if address.is_loopback or address.is_unspecified:  # 0.0.0.0 is this machine to connect()
        return Network.THIS_MACHINE
    return Network.INTERNET if address.is_global else Network.LOCAL


_NEARER = {Network.THIS_MACHINE: "this computer", Network.LOCAL: "a local network"}


class _Guard:
    """Connects to a server only on a network as far as `reach` or farther, by the address it connects to (a name
    may resolve to one address when checked and to another when connected: it is checked as connected), and
    keeps the network of the last server it connected to."""

    def __init__(self, reach: Network):
        self.reach = reach
        self.network = Network.INTERNET  # until known: the farthest, whose pages may name the fewest servers

    def connect(self, address: tuple[str, int], timeout: float | None,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        host, port = address
        ips = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
        allowed = [ip for ip in ips if network_of(ip) >= self.reach]
        if ips and not allowed:
            raise OSError(self._refusal(ips[0]))
        failed: OSError = OSError(f"{host}: no address")
        for ip in allowed:
            try:
                connection = socket.create_connection((ip, port), timeout, source_address)
            except OSError as exc:
                failed = exc
                continue
            self.network = network_of(ip)
            return connection
        raise failed

    def check_name(self, host: str) -> None:
        """The check for a request a proxy carries: the proxy connects, so the name is checked as it resolves
        here. A name that resolves only at the proxy is the proxy's to refuse."""
        try:
            ips = [info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]
        except OSError:
            return
        nearest = min((network_of(ip) for ip in ips), default=Network.INTERNET)
        if nearest < self.reach:
            raise OSError(self._refusal(next(ip for ip in ips if network_of(ip) == nearest)))
        self.network = nearest

    def _refusal(self, ip: str) -> str:
        return (f"its server is on {_NEARER[network_of(ip)]} ({ip}), and a page on "
                f"{'the internet' if self.reach == Network.INTERNET else 'a local network'} named it")


class _Guarded:
    """An HTTP or HTTPS handler whose connections go through a _Guard, redirects included."""

    guard: _Guard

    def do_open(self, http_class, request, **kwargs):  # noqa: ANN001, ANN201 (urllib's own signature)
        if request.host != urlsplit(request.full_url).netloc:  # a proxy carries it (urllib's set_proxy)
            self.guard.check_name(urlsplit(request.full_url).hostname or "")
            return super().do_open(http_class, request, **kwargs)

        def connection(host: str, **options: object) -> http.client.HTTPConnection:
            made = http_class(host, **options)
            made._create_connection = self.guard.connect  # what HTTPConnection.connect opens its socket with
            return made

        return super().do_open(connection, request, **kwargs)


class _Http(_Guarded, urllib.request.HTTPHandler):
    pass


class _Https(_Guarded, urllib.request.HTTPSHandler):
    pass


def _opener(guard: _Guard) -> urllib.request.OpenerDirector:
    """urllib's opener for the web alone: no file:, ftp: or data: address, and no redirect to one."""
    opener = urllib.request.OpenerDirector()
    web = _Http(), _Https()
    for handler in web:
        handler.guard = guard
    for handler in (urllib.request.ProxyHandler(), *web, urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPRedirectHandler(), urllib.request.HTTPErrorProcessor(),
                    urllib.request.UnknownHandler()):
        opener.add_handler(handler)
    return opener
