"""One conversation with a social security card, over any transport that sends a command and returns the answer.

The PC/SC reader passes ``SCardTransmit``; tests may pass the emulator's card directly. The transport raises
:class:`~drivers.base.DeviceError` for link faults (card pulled out, reader gone); this module adds the card's own
rules: ``61xx`` (more data: GET RESPONSE), ``6Cxx`` (wrong Le: resend with the right one), and the PIN, which is
presented only when the card asks for it (``6982``) so a wrong PIN never costs a try it did not have to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from drivers.sscard import apdu
from drivers.sscard.apdu import CardDataError, PinRequiredError, Response, SsCardError
from drivers.sscard.contents import CardContents, decode_contents

log = logging.getLogger(__name__)

Transmit = Callable[[bytes], bytes]

# A card that keeps answering 61xx is broken; the records read here are far shorter than this many chunks.
_MAX_CHAINED = 16


def exchange(transmit: Transmit, command: bytes) -> Response:
    """Send ``command`` and gather the whole answer: resend once on ``6Cxx``, follow ``61xx`` with GET RESPONSE."""
    response = _send(transmit, command)
    data = response.data
    for _ in range(_MAX_CHAINED):
        if response.sw1 != 0x61:
            return Response(data, response.sw1, response.sw2)
        response = _send(transmit, apdu.get_response(response.sw2))
        data += response.data
    raise CardDataError(f"{apdu.describe_command(command)}: more than {_MAX_CHAINED} chained responses")


def _send(transmit: Transmit, command: bytes) -> Response:
    response = apdu.parse_response(transmit(command))
    log.debug("social security card: %s -> %r", apdu.describe_command(command), response)
    if response.sw1 != 0x6C:
        return response
    le = response.sw2
    response = apdu.parse_response(transmit(apdu.with_le(command, le)))
    log.debug("social security card: resent with Le %02X -> %r", le, response)
    if response.sw1 == 0x6C:
        raise CardDataError(f"{apdu.describe_command(command)}: wrong length twice")
    return response


def read_contents(transmit: Transmit, pin: str | None = None) -> CardContents:
    """Select the SSSE application, read the card number and the EF06 records, and decode them.

    Raises :class:`~drivers.sscard.apdu.PinRequiredError` when the card wants a PIN and none was given,
    ``PinWrongError`` / ``PinBlockedError`` when the one given does not open it, and other
    :class:`~drivers.sscard.apdu.SsCardError` for a card that is not a social security card or answers nonsense.
    """
    if pin is not None:
        apdu.encode_pin(pin)  # a malformed PIN fails before it reaches the card
    apdu.check(exchange(transmit, apdu.SELECT_SSSE), "select SSSE")
    card_number = apdu.check(exchange(transmit, apdu.READ_CARD_NUMBER), "read card number").data
    guarded = _PinGuard(transmit, pin)
    guarded.run(apdu.SELECT_EF06, "select EF06")
    records: dict[int, bytes] = {}
    for spec in apdu.EF06_RECORDS:
        try:
            records[spec.tag] = guarded.run(apdu.read_record_by_tag(spec), f"read record {spec.tag:02X}").data
        except SsCardError as exc:
            if exc.sw != apdu.SW_RECORD_NOT_FOUND or spec.required:
                raise
            log.info("social security card: no record %02X on this card", spec.tag)
    return decode_contents(card_number, records)


class _PinGuard:
    """Runs commands that may need the PIN: on ``6982`` it verifies (once) and runs the command again."""

    def __init__(self, transmit: Transmit, pin: str | None) -> None:
        self._transmit = transmit
        self._pin = pin
        self._verified = False

    def run(self, command: bytes, what: str) -> Response:
        response = exchange(self._transmit, command)
        if apdu.is_pin_needed(response.sw) and not self._verified:
            if self._pin is None:
                log.info("social security card: %s needs the PIN, none given", what)
                raise PinRequiredError()
            log.info("social security card: %s needs the PIN, verifying", what)
            apdu.check(exchange(self._transmit, apdu.verify_pin(self._pin)), "verify PIN")
            self._verified = True
            response = exchange(self._transmit, command)
        return apdu.check(response, what)
