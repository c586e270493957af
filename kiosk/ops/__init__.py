"""What the terminal keeps for its own operation, apart from citizens' data: the local heartbeat to its
supervisor, reports waiting for the center, out of service, the versions installed side by side, the center's
instructions. Qt-free files in the data directory (``ops/``) and the install folder, written atomically, read by
several processes (the role, the supervisor, the command line)."""
