"""The busy-port check ``run`` and ``dev`` make before a mode starts (issue 12, "Busy port").

A mode that listens on ``--host``/``--port`` declares ``listens = True``; the CLI then binds the
address once, as the mode's server will (``SO_REUSEADDR``, like Hypercorn and ``http.server``),
and releases it at once, so a taken port fails in a fraction of a second with one line instead
of after a build or a startup banner.
"""

from __future__ import annotations

import errno
import socket

from tempestweb_cli.errors import CliError, PortInUseError

__all__ = ["check_port", "port_error"]


def check_port(host: str, port: int, /) -> None:
    """Fail if ``host``:``port`` cannot be listened on now.

    Args:
        host: Interface, e.g. ``"127.0.0.1"``, ``"::1"`` or ``"localhost"``.
        port: TCP port; 0 (a free port picked by the server) is never checked.

    Raises:
        PortInUseError: Another process listens on the port (``EADDRINUSE``).
        CliError: The address cannot be bound for another reason (permission, no such interface),
            or ``host`` is neither an IP address nor a name ``getaddrinfo`` resolves.

    """
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:  # RFC 3493 getaddrinfo: not an address, no such name
        reason = exc.strerror or str(exc)
        raise CliError(
            f"cannot listen on {host!r}: not an IP address or a host name this machine resolves ({reason}); "
            "pick another with --host"
        ) from None
    family, kind, proto, _, address = infos[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        raise port_error(exc, host=host, port=port) from None


def port_error(exc: OSError, /, *, host: str, port: int) -> CliError:
    """Return the one-line CLI error for a failed bind of ``host``:``port``.

    Args:
        exc: The ``OSError`` of ``bind()``.
        host: Interface the bind was for.
        port: TCP port the bind was for.

    Returns:
        :class:`PortInUseError` for ``EADDRINUSE``, else a :class:`CliError` naming the reason.

    """
    if exc.errno == errno.EADDRINUSE:
        return PortInUseError(f"port {port} on {host} is in use; pick another with --port")
    reason = exc.strerror or str(exc)
    return CliError(f"cannot listen on port {port} on {host}: {reason}")
