"""Printed documents, drawn with Qt (no QML): the PDF writer, the printed guide and form, the A4 test page, the
print preview's page images, the A4 printer behind a system queue, QR codes and the shipped CJK fonts.

The command line uses this package without loading the touch UI; the UI uses it for printing and previews."""
