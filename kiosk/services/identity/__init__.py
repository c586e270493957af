"""Identity a citizen shows without a card: the identity code (身份码) resolved by the center."""
