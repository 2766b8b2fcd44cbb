"""A TCP proxy on 127.0.0.1 in front of a real service (PostgreSQL, Redis), to play the
service going down and coming back the way its clients see it, without touching the
server the rest of the test suite uses:

    with TcpProxy("127.0.0.1", 5432) as proxy:
        ... point a process at 127.0.0.1:{proxy.port} ...
        proxy.cut()      # every open connection reset, new ones refused (port closed)
        proxy.restore()  # listening again on the same port

While cut, the port is closed, so connecting fails with "connection refused", exactly as
when the server process is stopped; open connections are reset, as when it is killed.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

LINGER_RESET = struct.pack("ii", 1, 0)  # on close: drop what is unsent, send a reset


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def __enter__(self) -> TcpProxy:
        self.restore()
        return self

    def __exit__(self, *exc_info) -> None:
        self.cut()

    def restore(self) -> None:
        """Listen (again, on the same port once it has one) and pass connections through."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Close the port and reset every connection through it."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                # A reset, not a polite close: what a killed server's clients get. The
                # shutdown first wakes the thread blocked reading it (a close alone would not).
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    upstream.close()
                    return
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._open -= {source, sink}
