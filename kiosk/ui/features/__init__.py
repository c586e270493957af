"""Features of the touch UI, one package each, each registering its screens with the shell. A feature never
imports another: what two share lives in the shell or below."""
