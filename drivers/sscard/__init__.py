"""The social security card (社会保障卡): a contact chip card read over PC/SC, and an emulator of one behind pcscd.

- :mod:`drivers.sscard.apdu`: commands, status words, the record format (pure functions);
- :mod:`drivers.sscard.contents`: the decoded records as one value, and the holder's :class:`Identity`;
- :mod:`drivers.sscard.session`: one conversation with a card over any transport;
- :mod:`drivers.sscard.pcsc`: :class:`SocialSecurityCardReader`, the terminal's device (imports pyscard);
- :mod:`drivers.sscard.emulator` and :mod:`drivers.sscard.cards`: the virtual card for tests and the demo.

Nothing is imported here, so importing the package does not load the PC/SC library.
"""
