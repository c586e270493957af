"""好差评: ratings of a case or a visit, kept once each and sent through the outbox."""
