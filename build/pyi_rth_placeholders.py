# PyInstaller runtime hook of the bundle (build/kiosk.spec, RUNTIME_HOOKS): runs before the program.
#
# PySide6's QtQuick binding imports PySide6.QtOpenGL when it loads, for the few Qt Quick functions that take or
# return an OpenGL framebuffer object (QQuickFramebufferObject's renderer). The program calls none of them, and the
# QtOpenGL binding weighs 8.5 MB (all of OpenGL's versioned function tables), so the bundle leaves it out and puts
# an empty module of that name in its place: QtQuick loads, its own classes all work, and using a QtOpenGL class
# from Python is an ImportError naming it.
import sys
import types

for _name in ("PySide6.QtOpenGL",):
    if _name not in sys.modules:
        _module = types.ModuleType(
            _name, "Left out of the bundle: the program uses no OpenGL class (build/kiosk.spec)."
        )
        sys.modules[_name] = _module
