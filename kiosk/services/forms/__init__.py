"""Forms a citizen fills in: taking a filled form in (receipt number, outbox record), the demo templates."""
