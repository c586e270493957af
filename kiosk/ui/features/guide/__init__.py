"""The service guide (办事指南) of one item and its A4 print preview."""
