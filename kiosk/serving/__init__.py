"""What the program's servers (the reference center and the hall's queue service) share beyond the protocol: the
listening socket and the ASGI pieces every answer goes through. The terminal never imports it (a contract)."""

from kiosk.serving.listening import bind, is_loopback
from kiosk.serving.server_time import ServerTime

__all__ = ["ServerTime", "bind", "is_loopback"]
