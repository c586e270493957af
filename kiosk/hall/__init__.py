"""The hall's queue service (排队叫号, docs/hall.md): numbers, calls, counters, events, appointments and ratings
over one SQLite file, served over HTTP to the hall's kiosks, displays, counters and rating pads. It shares only
``kiosk.protocol`` with the terminal, and talks to the center through the center client."""
