"""The terminal's side of the wire: signed requests to the center, with clock-skew correction."""
