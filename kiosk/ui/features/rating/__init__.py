"""好差评: rating a case or a visit."""
