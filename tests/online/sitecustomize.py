"""For a test's `python -m generator` in a process of its own (PYTHONPATH=tests/online, conftest.ONLINE): the
tests' made-up outlets, served from 127.0.0.1, are sites on the internet to the importers (`fetch.Network`), as
in the tests' own process (conftest.no_network). 127.0.0.2 and the rest of this machine stay this machine."""

from generator import fetch

_network_of = fetch.network_of


def _as_if_online(ip: str) -> fetch.Network:
    return fetch.Network.INTERNET if ip == "127.0.0.1" else _network_of(ip)


fetch.network_of = _as_if_online
