"""自助填表: filling in a government form, prefilled from the card, signed on the screen and printed."""
