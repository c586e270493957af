"""Hardware drivers: ID card reader, A4 printer, ticket printer, code scanner.

One small interface per kind of device (drivers.base), one class per backend, and a simulator for each that
speaks the same wire protocol. Drivers never import Qt: they run their I/O in their own worker threads and hand
immutable values to whoever listens.
"""
