"""`ibok serve --workers N`: uvicorn's supervisor, each worker on a listening socket of its own.

With one listening socket shared by every worker, a new connection goes to whichever
worker's event loop accepts first, and a worker that is already busy keeps winning: under
wrk, 10 connections all went to one of two workers (the other idle), and 100 split up to
75/25, the crowded worker's clients waiting three times as long as the others. Sockets
bound to one port with SO_REUSEPORT each get their own share of the connections, which
Linux spreads over them by a hash of each connection's addresses.

The parent binds the N sockets and keeps them open: a worker that dies leaves its socket
to its successor, so the connections waiting on it are answered by that successor rather
than refused. Where SO_REUSEPORT is missing, the workers share one socket, as under
uvicorn's own supervisor."""

from __future__ import annotations

import socket
from typing import Any

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process, logger


def listeners(config: Config, count: int) -> list[socket.socket]:
    """`count` sockets listening on the configured address (one, shared, where the system
    has no SO_REUSEPORT or the address is not TCP's), each with TCP_NODELAY, which the
    connections it accepts inherit (uvicorn's own socket leaves Nagle's algorithm on: each
    answer then waited ~40 ms for the client's delayed ACK).

    uvicorn binds first, without SO_REUSEPORT: it says where the server listens, and stops
    it if the port is taken, by another server with SO_REUSEPORT too (which would otherwise
    share the port with this one without a word). Its socket then gives way to the N."""
    first = config.bind_socket()
    tcp = first.family in (socket.AF_INET, socket.AF_INET6)
    if tcp:
        first.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if count == 1 or not tcp or not hasattr(socket, "SO_REUSEPORT"):
        return [first]
    family, address = first.family, first.getsockname()  # the port, if 0 was asked
    first.close()
    try:
        return [_listening(family, address, config.backlog) for _ in range(count)]
    except OSError as error:  # taken in the meantime: as uvicorn's own bind says it
        logger.error(error)
        raise SystemExit(STARTUP_FAILURE) from None


def _listening(family: socket.AddressFamily, address: Any, backlog: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class SocketEach(Multiprocess):
    """uvicorn's supervisor, the worker in slot i on socket i (all on one, if one is
    given). It starts, replaces and restarts (SIGHUP) workers as uvicorn's does; only the
    socket each is given differs."""

    def _started(self, slot: int) -> Process:
        process = Process(self.config, [self.sockets[slot % len(self.sockets)]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._started(slot) for slot in range(self.processes_num)]

    def restart_all(self) -> None:
        """Each worker in turn: its successor on its socket, serving before it stops."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._started(slot)
            timeout = self.config.timeout_worker_healthcheck
            if not new.wait_until_ready(timeout, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(
                        f"Worker [{new.pid}] was not ready in time; keeping [{old.pid}]"
                        " and stopping the restart."
                    )
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        """A worker that died or hangs is replaced on its socket; one that failed to start
        stops the server (it would fail the same way again)."""
        for slot, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error(f"Worker [{process.pid}] failed to start: stopping the server.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Worker [{process.pid}] died")
            self.processes[slot] = self._started(slot)
