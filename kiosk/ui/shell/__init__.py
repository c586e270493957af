"""The shell every role uses: the application (Qt, fonts, translations, the QML engine), navigation and the
screen registry, the background-task bridge (tasks), idle, the citizen's session and identity prompt, voice,
devices, and the bridge of what changed."""
