"""The roles a terminal plays, each a package with its screen list and its Main.qml
(``resources/qml/roles/<role>/Main.qml``) over the shared core: ``kiosk`` (the citizen's self-service terminal).
Roles never import each other; they compose the shell and the features of ``kiosk.ui``.
"""
