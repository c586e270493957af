"""The touch UI: the Qt application, its fonts and languages, the view-models, and the QML scene that shows them."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.config import Settings
from kiosk.render.fonts import CJK_FONT_FAMILIES, ensure_fonts
from kiosk.ui.shell.app_state import AppState
from kiosk.ui.shell.identity_session import IdentitySession
from kiosk.ui.shell.idle_guard import IdleGuard
from kiosk.ui.shell.image_providers import IconImageProvider, QrImageProvider
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.paths import qml_dir
from kiosk.ui.translations import Translations

if TYPE_CHECKING:  # types only: the cache's modules, and the screens' view-models, load after the first frame
    from collections.abc import Callable

    from drivers.printer.a4 import A4Printer
    from kiosk.services.catalog.service import CatalogStats
    from kiosk.services.citizen import CitizenServices
    from kiosk.services.devices import Devices
    from kiosk.services.terminal import Terminal
    from kiosk.ui.features.catalog.catalog_browser import CatalogBrowser
    from kiosk.ui.features.forms.form_flow import FormFlow
    from kiosk.ui.features.guide.guide_screen import GuideScreen
    from kiosk.ui.features.guide.print_preview import PrintPreview
    from kiosk.ui.features.maintenance.maintenance_screen import MaintenanceScreen
    from kiosk.ui.features.progress.progress_screen import ProgressScreen
    from kiosk.ui.features.rating.rating_screen import RatingScreen
    from kiosk.ui.features.search.search_screen import SearchScreen
    from kiosk.ui.shell.device_panel import DevicePanel
    from kiosk.ui.shell.identity_prompt import IdentityPrompt
    from kiosk.ui.shell.sync_indicator import SyncIndicator
    from kiosk.ui.shell.voice import VoicePrompts

log = logging.getLogger(__name__)

# View-models the first frame does not bind to: made just after it (or when first used), and named in QML from
# the start as null, so that setting them later only notifies the bindings that use them (a context property
# added after loading re-evaluates every binding of the scene).
LATER_CONTEXT_PROPERTIES = (
    "syncState",
    "catalogBrowser",
    "searchScreen",
    "guideScreen",
    "maintenance",
    "printPreview",
    "devicePanel",
    "identityPrompt",
    "formFlow",
    "ratingScreen",
    "progressScreen",
)


def prepare_environment(*, offscreen: bool = False) -> None:
    """Settings Qt reads once, before the QGuiApplication exists."""
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    # Exact scale factors on fractional-DPI screens (the same as the PassThrough rounding policy, without
    # creating Python's ``Qt`` namespace before the first frame: that alone costs tens of milliseconds).
    os.environ.setdefault("QT_SCALE_FACTOR_ROUNDING_POLICY", "PassThrough")
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    # The keyboard lives in the scene (InputPanel); no second, floating desktop keyboard.
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")
    # Harmless start-up chatter (no PipeWire for key clicks; a note about Qt's own keyboard QML) kept out of logs.
    os.environ.setdefault(
        "QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false;qt.qml.propertyCache.append=false"
    )


def load_fonts() -> str:
    """Register the bundled fonts (once per process, shared with the printed guides) and make the CJK family
    the application font, so no screen depends on the fonts of the machine; returns the family used."""
    ensure_fonts()
    families = set(QFontDatabase.families())
    family = next((f for f in CJK_FONT_FAMILIES if f in families), "")
    if family != CJK_FONT_FAMILIES[0]:
        log.warning(
            "font %s is not available (resources/fonts); using %s",
            CJK_FONT_FAMILIES[0],
            family or "Qt's default",
        )
    font = QFont()
    font.setFamilies([f for f in CJK_FONT_FAMILIES if f in families] or [font.family()])
    font.setPixelSize(28)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    QGuiApplication.setFont(font)
    return family


def create_application(argv: Sequence[str] | None = None, *, offscreen: bool = False) -> QGuiApplication:
    """The process's one QGuiApplication, with the environment, fonts and attributes the kiosk needs."""
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        load_fonts()
        return existing
    prepare_environment(offscreen=offscreen)
    app = QGuiApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("kiosk")
    app.setOrganizationName("kiosk")
    app.setQuitOnLastWindowClosed(False)  # only the maintenance screen's 退出 ends the program
    load_fonts()
    return app


@dataclass(frozen=True)
class WindowOptions:
    size: tuple[int, int]
    fullscreen: bool = False
    visible: bool = True


class KioskUi(QObject):
    """The running UI of one terminal: view-models, the QML engine and the kiosk window."""

    firstFrameShown = Signal()

    def __init__(
        self,
        terminal: Terminal,
        app: QGuiApplication,
        options: WindowOptions,
        initial_stats: CatalogStats | None = None,
        settings: Settings | None = None,
        devices: Devices | Callable[[], Devices] | None = None,
    ) -> None:
        """``devices``: the terminal's devices (or a function that makes them, called on the UI thread just after
        the first frame), watched from the first frame on (a running terminal); without them the maintenance
        screen builds its own when asked, and nothing is watched.

        Only what the home screen's first frame shows is made here; the screens' view-models (catalog browser,
        search, guide, maintenance, print preview, devices, forms …) follow just after the first frame, or when
        first used (the properties below make them on demand)."""
        super().__init__()
        self._devices = devices
        self._browser: CatalogBrowser | None = None
        self._search: SearchScreen | None = None
        self._guide: GuideScreen | None = None
        self._maintenance: MaintenanceScreen | None = None
        self._sync_indicator: SyncIndicator | None = None
        self._voice: VoicePrompts | None = None
        self._idle_filter_installed = False
        self._device_panel: DevicePanel | None = None
        self._citizen_installed = False
        settings = settings or terminal.settings
        self.settings = settings
        self.terminal = terminal
        self.app = app
        self.translations = Translations(app)
        self.translations.switch(settings.language)

        self.navigator = Navigator(self)
        self.app_state = AppState(
            settings, terminal.background, terminal.catalog, self.translations.switch, initial_stats, self
        )
        self._preview: PrintPreview | None = (
            None  # made once the home screen shows (it loads the PDF modules)
        )
        self.idle = IdleGuard(settings.idle_timeout_s, settings.idle_warning_s, self)
        self.session = IdentitySession(settings.session_end_after_removal_s, self)
        self.session.changed.connect(self._update_idle)
        self.session.ended.connect(self.reset_session)
        self.session.started.connect(self.idle.poke)  # a card placed is the citizen at work, like a touch
        self.idle.warningChanged.connect(self._speak_idle_warning)

        self.idle.timedOut.connect(self.reset_session)
        self.navigator.currentChanged.connect(self._update_idle)
        self.app_state.customisedChanged.connect(self._update_idle)
        self.navigator.returnedHome.connect(self.app_state.refreshCatalog)
        if initial_stats is None:
            if options.visible:
                # Ask for the counts once the home screen is up, so opening the cache never delays it.
                self.firstFrameShown.connect(self.app_state.refreshCatalog)
            else:
                self.app_state.refreshCatalog()

        self.engine = QQmlApplicationEngine()
        self.translations.attach(self.engine)
        self.engine.addImportPath(str(qml_dir()))
        self.engine.addImageProvider(QrImageProvider.PROVIDER_ID, QrImageProvider())
        self.engine.addImageProvider(IconImageProvider.PROVIDER_ID, IconImageProvider())
        context = self.engine.rootContext()
        for name in LATER_CONTEXT_PROPERTIES:
            context.setContextProperty(name, None)
        for name, obj in {
            "appState": self.app_state,
            "navigator": self.navigator,
            "idleGuard": self.idle,
            "identitySession": self.session,
        }.items():
            context.setContextProperty(name, obj)
        context.setContextProperty("keyboardDataPath", str(settings.data_dir / "tmp" / "keyboard"))
        self.engine.setInitialProperties(
            {"width": options.size[0], "height": options.size[1], "visible": False}
        )
        # A screen opened before the first frame (tests, the screenshot tool) finds its view-models: connected
        # before the QML's own handlers, so this runs first.
        self.navigator.pushed.connect(self._install_before_navigating)
        self.navigator.replaced.connect(self._install_before_navigating)
        self.engine.load(QUrl.fromLocalFile(str(qml_dir() / "roles" / "kiosk" / "Main.qml")))
        roots = self.engine.rootObjects()
        if not roots or not isinstance(roots[0], QQuickWindow):
            raise RuntimeError("the UI could not be loaded (see the log for QML errors)")
        self.window: QQuickWindow = roots[0]
        self.window.viewModelsWanted.connect(self._install_later_view_models)  # type: ignore[attr-defined]
        if options.visible:
            self.firstFrameShown.connect(self._install_screens)
            self.firstFrameShown.connect(self._install_print_preview)
            self.firstFrameShown.connect(self._install_device_panel)
            self.firstFrameShown.connect(self._install_citizen_screens)
            self.firstFrameShown.connect(self._start_voice)
        else:
            self._install_screens()
            self._install_print_preview()
            self._install_device_panel()
            self._install_citizen_screens()
        # frameSwapped may come from the render thread. A plain function runs where it is emitted and notes the
        # moment the frame is on screen; the slot runs on the UI thread (queued from a render thread).
        self._first_frame_seen = False
        self.first_frame_at: float | None = None
        self.window.frameSwapped.connect(lambda: self._note_frame_time())
        self.window.frameSwapped.connect(self._on_frame_swapped)
        if options.visible:
            if options.fullscreen:
                self.window.setProperty("frameless", True)
                self.firstFrameShown.connect(self._hide_pointer)
                self.window.showFullScreen()
            else:
                self.window.show()
        log.info(
            "UI ready: %dx%d, %s, language %s",
            options.size[0],
            options.size[1],
            "full screen" if options.fullscreen else "windowed",
            settings.language,
        )

    # --- made after the first frame, or when first used --------------------------------------------------

    @Slot()
    def _install_screens(self) -> None:
        """The view-models the first frame does not need, the idle guard's watch over every touch, and the screen
        stack (Qt Quick Controls' StackView, which takes over the home screen)."""
        self._install_idle_filter()
        self._install_sync_indicator()
        self._install_catalog_screens()
        self._install_maintenance()
        self.window.setProperty("screensWanted", True)

    @Slot()
    def _install_later_view_models(self) -> None:
        """Everything made after the first frame, made now: the QML asks for it when a tap comes before the
        first frame (tests; a very quick finger)."""
        if self._sync_indicator is None or self._preview is None or not self._citizen_installed:
            self._install_screens()
            self._install_print_preview()
            self._install_device_panel()
            self._install_citizen_screens()

    @Slot(str)
    def _install_before_navigating(self, _screen: str) -> None:
        self._install_later_view_models()

    def _install_idle_filter(self) -> None:
        """Every touch, click and key resets the idle countdown (the filter sees every event of the application,
        so it is not there while the first frame is being made: nobody touches a screen not yet shown)."""
        if not self._idle_filter_installed:
            self._idle_filter_installed = True
            self.app.installEventFilter(self.idle)

    def _install_sync_indicator(self) -> SyncIndicator:
        """What the screens show of sync. Until the sync engine is attached (after the first frame, from a worker)
        nothing is known, and the first frame shows nothing of it."""
        if self._sync_indicator is None:
            from kiosk.ui.shell.sync_indicator import SyncIndicator

            self._sync_indicator = SyncIndicator(self.settings.stale_catalog_days, self)
            self.engine.rootContext().setContextProperty("syncState", self._sync_indicator)
        return self._sync_indicator

    def _install_catalog_screens(self) -> None:
        if self._browser is not None:
            return
        from kiosk.ui.features.catalog.catalog_browser import CatalogBrowser
        from kiosk.ui.features.guide.guide_screen import GuideScreen
        from kiosk.ui.features.search.search_screen import SearchScreen

        catalog, background = self.terminal.catalog, self.terminal.background
        self._browser = CatalogBrowser(catalog, background, self.navigator, self)
        self._search = SearchScreen(catalog, background, self.navigator, self)
        self._guide = GuideScreen(catalog, background, self.navigator, self)
        context = self.engine.rootContext()
        context.setContextProperty("catalogBrowser", self._browser)
        context.setContextProperty("searchScreen", self._search)
        context.setContextProperty("guideScreen", self._guide)

    def _install_maintenance(self) -> MaintenanceScreen:
        if self._maintenance is None:
            from kiosk.ui.features.maintenance.maintenance_screen import MaintenanceScreen

            self._maintenance = MaintenanceScreen(
                self.settings,
                self.terminal.catalog,
                self.terminal.background,
                self.navigator,
                parent=self,
                health=self.terminal.database_health,
            )
            self._maintenance.pinPadChanged.connect(self._update_idle)
            self._maintenance.quitRequested.connect(self.quit)
            self.engine.rootContext().setContextProperty("maintenance", self._maintenance)
        return self._maintenance

    @property
    def browser(self) -> CatalogBrowser:
        self._install_catalog_screens()
        assert self._browser is not None
        return self._browser

    @property
    def search(self) -> SearchScreen:
        self._install_catalog_screens()
        assert self._search is not None
        return self._search

    @property
    def guide(self) -> GuideScreen:
        self._install_catalog_screens()
        assert self._guide is not None
        return self._guide

    @property
    def maintenance(self) -> MaintenanceScreen:
        return self._install_maintenance()

    @property
    def sync_indicator(self) -> SyncIndicator:
        return self._install_sync_indicator()

    @property
    def voice(self) -> VoicePrompts:
        """The spoken prompts (made when first needed; the engine runs in a speech process of its own)."""
        if self._voice is None:
            from kiosk.ui.shell.voice import VoicePrompts

            settings = self.settings
            self._voice = VoicePrompts(settings.voice_prompts, self.app_state, settings.voice_engine, self)
        return self._voice

    @Slot()
    def _start_voice(self) -> None:
        self.voice.start()

    @property
    def preview(self) -> PrintPreview:
        return self._install_print_preview()

    @Slot()
    def _install_print_preview(self) -> PrintPreview:
        """The print preview and its image provider. Made on the UI thread (Qt modules must not be imported on a
        worker), after the first frame so that the PDF modules don't delay the home screen."""
        if self._preview is None:
            from kiosk.ui.features.guide.preview_images import PreviewImageProvider
            from kiosk.ui.features.guide.print_preview import PrintPreview

            self.preview_images = PreviewImageProvider()
            self.engine.addImageProvider(PreviewImageProvider.PROVIDER_ID, self.preview_images)
            self._preview = PrintPreview(
                self.settings,
                self.terminal.background,
                self.guide,
                self.navigator,
                self.preview_images,
                self.app_state,
                self,
                printer=self._a4_printer() if self.settings.a4_printer != "none" else None,
            )
            self.device_panel.devices()  # made here, on the UI thread; the printer itself on first use
            self.engine.rootContext().setContextProperty("printPreview", self._preview)
            self._preview.printFinished.connect(
                lambda ok: self.voice.say("take_printout" if ok else "print_failed")
            )
        return self._preview

    def citizen_services(self) -> CitizenServices:
        """Forms, ratings and progress of the terminal (its data opens just after the first frame)."""
        from kiosk.services.lazy_terminal import LazyTerminal

        terminal = self.terminal.open() if isinstance(self.terminal, LazyTerminal) else self.terminal
        return terminal.citizen

    @Slot()
    def _install_citizen_screens(self) -> None:
        """The view-models of a citizen's transactions (forms, ratings, progress, the identity prompt), made
        after the first frame like the print preview: the home screen needs none of them."""
        if self._citizen_installed:
            return
        self._citizen_installed = True
        from kiosk.ui.features.forms.form_flow import FormFlow
        from kiosk.ui.features.progress.progress_screen import ProgressScreen
        from kiosk.ui.features.rating.rating_screen import RatingScreen
        from kiosk.ui.shell.identity_prompt import IdentityPrompt

        say = self.voice.say
        self.identity_prompt: IdentityPrompt = IdentityPrompt(
            self.session,
            self.navigator,
            say,
            self,
            self.citizen_services,
            card_left=lambda: self.device_panel.cardLeft,
        )
        self.forms: FormFlow = FormFlow(
            self.citizen_services,
            self.session,
            self.identity_prompt,
            self.navigator,
            self.terminal.background,
            self.settings,
            say,
            self._a4_printer() if self.settings.a4_printer != "none" else None,
            self,
        )
        self.rating: RatingScreen = RatingScreen(
            self.citizen_services, self.session, self.navigator, self.settings, say, self
        )
        self.progress: ProgressScreen = ProgressScreen(
            self.citizen_services, self.session, self.identity_prompt, self.navigator, self
        )
        self.forms.finished.connect(self.rating.start_for_case)
        self.identity_prompt.wanted.connect(self.device_panel.on_identity_wanted)
        context = self.engine.rootContext()
        for name, obj in {
            "identityPrompt": self.identity_prompt,
            "formFlow": self.forms,
            "ratingScreen": self.rating,
            "progressScreen": self.progress,
        }.items():
            context.setContextProperty(name, obj)

    @Slot(str)
    def _on_scan(self, text: str) -> None:
        """A scanned code, wherever the citizen is: an identity code while the identity prompt shows; a rating
        code opens the rating of its case or visit."""
        if self._citizen_installed and (self.identity_prompt.on_scan(text) or self.rating.on_scan(text)):
            return
        log.info("a scanned code was not one the terminal acts on here (%d characters)", len(text))

    def _note_frame_time(self) -> None:
        if self.first_frame_at is None:
            self.first_frame_at = time.time()

    def _a4_printer(self) -> Callable[[], A4Printer]:
        """The A4 printer of this terminal's devices, built when first used (on the worker that prints)."""

        def printer() -> A4Printer:
            return self.device_panel.devices().a4()

        return printer

    @Slot()
    def _speak_idle_warning(self) -> None:
        if self.idle.warning:
            self.voice.say("idle_warning")

    @property
    def device_panel(self) -> DevicePanel:
        return self._install_device_panel()

    @Slot()
    def _install_device_panel(self) -> DevicePanel:
        """The devices' view-model for the maintenance screen; with the terminal's devices, it starts watching
        the card reader. Made after the first frame, like the print preview."""
        if self._device_panel is None:
            from kiosk.ui.shell.device_panel import DevicePanel

            if callable(self._devices):
                self._devices = self._devices()  # the terminal's devices, made now, on the UI thread
            self._device_panel = DevicePanel(self.settings, self.terminal.background, self._devices, self)
            self.engine.rootContext().setContextProperty("devicePanel", self._device_panel)
            self._device_panel.identityRead.connect(self.session.begin)
            self._device_panel.cardPlaced.connect(self.session.card_placed)
            self._device_panel.cardRemoved.connect(self.session.card_removed)
            self._device_panel.scanned.connect(self._on_scan)
            if self.settings.scanner == "wedge":
                # Keyboard-mode scans never reach a text field: the filter takes them and hands them on.
                from kiosk.ui.shell.scan_filter import install_scan_filter

                self.scan_filter = install_scan_filter(self.app)
                self.scan_filter.scanned.connect(self._device_panel.on_scan)
            if self._devices is not None:
                self._device_panel.start()
        return self._device_panel

    @Slot()
    def _on_frame_swapped(self) -> None:
        if self._first_frame_seen:
            return
        self._first_frame_seen = True
        self._note_frame_time()
        self.window.frameSwapped.disconnect(self._on_frame_swapped)
        # Leave the frame's own signal before the work that waited for it.
        QTimer.singleShot(0, self._after_first_frame)

    @Slot()
    def _after_first_frame(self) -> None:
        self.firstFrameShown.emit()
        # The keyboard loads once the home screen shows, after everything that waited for the first frame.
        QTimer.singleShot(0, lambda: self.window.setProperty("keyboardWanted", True))

    @Slot()
    def _hide_pointer(self) -> None:
        from PySide6.QtCore import Qt

        QGuiApplication.setOverrideCursor(
            Qt.CursorShape.BlankCursor
        )  # a touch terminal shows no mouse pointer

    def root_property(self, name: str) -> object:
        return self.window.property(name)

    def theme(self) -> QObject:
        """The Theme singleton as QML sees it (font sizes, colours, target sizes)."""
        return self.window.property("theme")

    @Slot()
    def _update_idle(self) -> None:
        self.idle.set_active(
            not self.navigator.atHome
            or self.app_state.customised
            or (self._maintenance is not None and self._maintenance.pinPadOpen)
            or self.session.active
        )

    @Slot()
    def reset_session(self) -> None:
        """End the citizen's session: home screen, every screen's state cleared, the terminal's defaults back."""
        log.info("session reset")
        QGuiApplication.inputMethod().hide()
        if self._maintenance is not None:
            self._maintenance.clear()
        self.navigator.home()  # each screen's view-model clears itself when its screen leaves the stack
        if self._browser is not None:
            assert self._search is not None and self._guide is not None
            self._search.clear()
            self._browser.clear()
            self._guide.clear()
        if self._preview is not None:
            self._preview.close()
        if self._device_panel is not None:
            self._device_panel.clear()
        if self._citizen_installed:
            self.identity_prompt.clear()
            self.forms.clear()
            self.rating.clear()
            self.progress.clear()
        if self._voice is not None:
            self._voice.stop()
        self.session.end()
        self.app_state.end_session()

    @Slot()
    def quit(self) -> None:
        self.window.setProperty("allowClose", True)
        self.app.exit(0)

    def close(self) -> None:
        """Tear down the scene (tests and the screenshot tool build several in one process)."""
        self.app.removeEventFilter(self.idle)
        if getattr(self, "scan_filter", None) is not None:
            self.app.removeEventFilter(self.scan_filter)
            self.scan_filter.deleteLater()
        if self._preview is not None:
            self._preview.close()
        if self._device_panel is not None:
            self._device_panel.close()
        if self._voice is not None:
            self._voice.close()
        self.translations.close()
        QGuiApplication.inputMethod().hide()  # the keyboard's state is the application's, not this window's
        self.window.setProperty("allowClose", True)
        self.window.close()
        self.engine.deleteLater()
        self.deleteLater()
