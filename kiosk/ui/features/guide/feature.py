"""The guide feature as a role registers it: the guide of one item and its A4 print preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    """The guide's view-model, and the print preview with its image provider: made on the UI thread (Qt modules
    must not be imported on a worker), after the first frame so that the PDF modules don't delay it."""
    from kiosk.ui.features.guide.guide_screen import GuideScreen
    from kiosk.ui.features.guide.preview_images import PreviewImageProvider
    from kiosk.ui.features.guide.print_preview import PrintPreview

    background, navigator = shell.terminal.background, shell.navigator
    guide = GuideScreen(shell.terminal.catalog, background, navigator, shell)
    images = PreviewImageProvider()
    shell.engine.addImageProvider(PreviewImageProvider.PROVIDER_ID, images)
    preview = PrintPreview(
        shell.settings,
        background,
        guide,
        navigator,
        images,
        shell.app_state,
        shell,
        printer=shell.a4_printer(),
    )
    shell.device_panel.devices()  # made here, on the UI thread; the printer itself on first use
    preview.printFinished.connect(lambda ok: shell.voice.say("take_printout" if ok else "print_failed"))
    return Installed(
        view_models={"guideScreen": guide, "printPreview": preview},
        attributes={"guide": guide, "preview": preview, "preview_images": images},
        close=preview.close,
    )


FEATURE = Feature(
    name="guide",
    screens={
        "guide": "features/guide/GuideScreen.qml",
        "preview": "features/guide/PreviewScreen.qml",  # the A4 print preview
    },
    view_models=("guideScreen", "printPreview"),
    attributes=("guide", "preview", "preview_images"),
    install=install,
)
