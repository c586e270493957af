"""The shell every role's touch UI stands on: the Qt application, its fonts and languages, the QML scene of the
role, navigation over the role's screen registry, idle, the citizen's session and identity prompt, voice, devices,
sync state and the bridge of what changed. Features join it through :mod:`kiosk.ui.shell.registry`."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.config import Settings
from kiosk.render.fonts import CJK_FONT_FAMILIES, ensure_fonts
from kiosk.services.usage import events as usage
from kiosk.ui.shell.app_state import AppState
from kiosk.ui.shell.identity_session import IdentitySession
from kiosk.ui.shell.idle_guard import IdleGuard
from kiosk.ui.shell.image_providers import IconImageProvider, QrImageProvider
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.paths import qml_dir
from kiosk.ui.shell.registry import Feature, Installed, check_features, view_model_of
from kiosk.ui.translations import Translations

if (
    TYPE_CHECKING
):  # types only: the cache's modules, devices and screens' view-models load after the first frame
    from collections.abc import Callable

    from drivers.printer.a4 import A4Printer
    from kiosk.services.catalog.service import CatalogStats
    from kiosk.services.citizen import CitizenServices
    from kiosk.services.devices import Devices
    from kiosk.services.terminal import Terminal
    from kiosk.store.database import Database
    from kiosk.ui.shell.changes_bridge import ChangesBridge
    from kiosk.ui.shell.device_panel import DevicePanel
    from kiosk.ui.shell.identity_prompt import IdentityPrompt
    from kiosk.ui.shell.notices_feed import NoticesFeed
    from kiosk.ui.shell.sync_indicator import SyncIndicator
    from kiosk.ui.shell.voice import VoicePrompts

log = logging.getLogger(__name__)

# The shell's own view-models the first frame does not bind to: made just after it (or when first used), and named
# in QML from the start as null, so that setting them later only notifies the bindings that use them (a context
# property added after loading re-evaluates every binding of the scene). The features' follow the same rule.
LATER_SHELL_PROPERTIES = ("syncState", "devicePanel", "identityPrompt", "noticesFeed")

# The shell's own screens (every role may ask for the citizen's identity).
SHELL_SCREENS = {"identify": "shell/IdentifyScreen.qml"}


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


class Shell(QObject):
    """The running UI of one terminal in one role: the role's QML window, the shell's view-models, and the
    features of the role's registry, made after the first frame (or when first used)."""

    firstFrameShown = Signal()

    def __init__(
        self,
        terminal: Terminal,
        app: QGuiApplication,
        options: WindowOptions,
        *,
        main_qml: str,
        features: Sequence[Feature] = (),
        initial_stats: CatalogStats | None = None,
        settings: Settings | None = None,
        devices: Devices | Callable[[], Devices] | None = None,
        watch_devices: bool = True,
        show_catalog: bool = True,
        show_notices: bool = False,
    ) -> None:
        """``main_qml``: the role's window, under ``resources/qml``. ``features``: the role's features, in the
        order they are made and reset. ``devices``: the terminal's devices (or a function that makes them, called
        on the UI thread just after the first frame), watched from the first frame on (a running terminal);
        without them the maintenance screen builds its own when asked, and nothing is watched. ``watch_devices``:
        whether the role has the device panel at all; ``show_catalog``: whether its screens show the catalog's
        counts (asked for once the first frame is up); ``show_notices``: whether they show the center's notices
        (read from just after the first frame: ``noticesFeed``).

        Only what the first frame shows is made here; the features' view-models follow just after the first
        frame, or when first used (``shell.<attribute>`` makes its feature on demand)."""
        super().__init__()
        self._features = tuple(features)
        self._screens = check_features(self._features, SHELL_SCREENS)
        self._installed: dict[str, Installed] = {}
        self._wanted_attributes = {name: f for f in self._features for name in f.attributes}
        self._scan_handlers: list[Callable[[str], bool]] = []
        self._keep_awake: list[Callable[[], bool]] = []
        self._devices = devices
        self._watch_devices = watch_devices
        self._sync_indicator: SyncIndicator | None = None
        self._voice: VoicePrompts | None = None
        self._identity_prompt: IdentityPrompt | None = None
        self._idle_filter_installed = False
        self._device_panel: DevicePanel | None = None
        self._notices_feed: NoticesFeed | None = None
        self._show_notices = show_notices
        self._installing = False
        settings = settings or terminal.settings
        self.settings = settings
        self.terminal = terminal
        self.app = app
        self.translations = Translations(app)
        self.translations.switch(settings.language)

        self.navigator = Navigator(self._screens, self)
        self.app_state = AppState(
            settings, terminal.background, terminal.catalog, self.translations.switch, initial_stats, self
        )
        self.idle = IdleGuard(settings.idle_timeout_s, settings.idle_warning_s, self)
        self.session = IdentitySession(settings.session_end_after_removal_s, self)
        self.session.changed.connect(self._update_idle)
        self.session.ended.connect(self.reset_session)
        self.session.started.connect(self.idle.poke)  # a card placed is the citizen at work, like a touch
        self.idle.warningChanged.connect(self._speak_idle_warning)

        self.idle.timedOut.connect(self.reset_session)
        self.idle.activeChanged.connect(lambda: self.idle.active and usage.session_started())  # a visit began
        self.navigator.currentChanged.connect(self._update_idle)
        self.app_state.customisedChanged.connect(self._update_idle)
        self.changes: ChangesBridge | None = None  # what changed, bridged once the first frame is up
        if initial_stats is None and show_catalog:
            if options.visible:
                # Ask for the counts once the home screen is up, so opening the cache never delays it.
                self.firstFrameShown.connect(self.app_state.refreshCatalog)
            else:
                self.app_state.refreshCatalog()

        # 暂停服务: known from the first frame (a terminal may start out of service), watched from then on.
        from kiosk.ui.shell.service_state_view import ServiceStateView

        self.service_state = ServiceStateView(
            settings.data_dir, settings.terminal_id, self.citizen_busy, self
        )
        self.service_state.backInService.connect(self._back_in_service)
        self.idle.activeChanged.connect(self.service_state.check)  # a session just ended: the page may come

        self.engine = QQmlApplicationEngine()
        self.translations.attach(self.engine)
        self.engine.addImportPath(str(qml_dir()))
        self.engine.addImageProvider(QrImageProvider.PROVIDER_ID, QrImageProvider())
        self.engine.addImageProvider(IconImageProvider.PROVIDER_ID, IconImageProvider())
        context = self.engine.rootContext()
        for name in (*LATER_SHELL_PROPERTIES, *(n for f in self._features for n in f.view_models)):
            context.setContextProperty(name, None)
        for name, obj in {
            "appState": self.app_state,
            "navigator": self.navigator,
            "idleGuard": self.idle,
            "identitySession": self.session,
            "serviceState": self.service_state,
        }.items():
            context.setContextProperty(name, obj)
        # The role's screens, as the StackView loads them (navigator name → file URL).
        context.setContextProperty(
            "screenFiles",
            {
                name: QUrl.fromLocalFile(str(qml_dir() / qml)).toString()
                for name, qml in self._screens.items()
            },
        )
        context.setContextProperty("keyboardDataPath", str(settings.data_dir / "tmp" / "keyboard"))
        self.engine.setInitialProperties(
            {"width": options.size[0], "height": options.size[1], "visible": False}
        )
        # A screen opened before the first frame (tests, the screenshot tool) finds its view-models: connected
        # before the QML's own handlers, so this runs first.
        self.navigator.pushed.connect(self._install_before_navigating)
        self.navigator.replaced.connect(self._install_before_navigating)
        self.engine.load(QUrl.fromLocalFile(str(qml_dir() / main_qml)))
        roots = self.engine.rootObjects()
        if not roots or not isinstance(roots[0], QQuickWindow):
            raise RuntimeError("the UI could not be loaded (see the log for QML errors)")
        self.window: QQuickWindow = roots[0]
        # A role's window whose taps may come before the first frame asks for the view-models (its
        # viewModelsWanted signal). Not looked up through metaObject(): a wrapper of a QML type's meta-object
        # outlives it, and PySide would hand it out later for whatever object takes its address.
        wanted = getattr(self.window, "viewModelsWanted", None)
        if wanted is not None:
            wanted.connect(self._install_later)
        if options.visible:
            self.firstFrameShown.connect(self._install_later)
            self.firstFrameShown.connect(self._start_voice)
        else:
            self._install_later()
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
    def _install_later(self) -> None:
        """Everything the first frame does not need: the idle guard's watch over every touch, what the screens
        show of sync, the devices, every feature of the role, and the screen stack (Qt Quick Controls'
        StackView, which takes over the home screen). QML asks for it at once when a tap comes before the first
        frame (tests; a very quick finger)."""
        if self._installing:
            return
        self._installing = True
        try:
            self._install_idle_filter()
            self._install_changes()
            self._install_sync_indicator()
            if self._watch_devices:
                self._install_device_panel()
            if self._show_notices:
                self.notices_feed.start()
            for feature in self._features:
                self.install(feature)
            self.window.setProperty("screensWanted", True)
        finally:
            self._installing = False

    @Slot(str)
    def _install_before_navigating(self, _screen: str) -> None:
        self._install_later()

    def install(self, feature: Feature) -> Installed:
        """Make ``feature``'s view-models (once) and hand them to QML."""
        parts = self._installed.get(feature.name)
        if parts is None:
            self._install_changes()  # a feature may follow what changed (made before the first frame if asked)
            parts = feature.install(self)
            self._installed[feature.name] = parts
            context = self.engine.rootContext()
            for name, obj in parts.view_models.items():
                context.setContextProperty(name, obj)
            self.features_installed(feature)
        return parts

    def features_installed(self, feature: Feature) -> None:
        """Called once a feature is made, for a role to connect features to each other (they never import
        each other)."""

    def view_model(self, name: str) -> Any:
        """The installed view-model QML knows as ``name`` (None: its feature is not made yet)."""
        return view_model_of(self._installed, name)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the object does not have: a feature's short names (shell.search …), made on
        # first use.
        feature = self.__dict__.get("_wanted_attributes", {}).get(name)
        if feature is None:
            raise AttributeError(name)
        return self.install(feature).attributes[name]

    # --- what features use ------------------------------------------------------------------------------

    def on_scan(self, handler: Callable[[str], bool]) -> None:
        """Hand scanned codes to ``handler`` (it returns whether it took the code), after the identity prompt and
        the handlers registered before it."""
        self._scan_handlers.append(handler)

    def keep_awake_while(self, busy: Callable[[], bool], changed: Any) -> None:
        """The idle countdown runs while ``busy()`` (re-checked whenever the signal ``changed`` fires), as it
        does away from the home screen."""
        self._keep_awake.append(busy)
        changed.connect(self._update_idle)

    def a4_printer(self) -> Callable[[], A4Printer] | None:
        """The A4 printer of this terminal's devices, built when first used (on the worker that prints); None when
        the terminal has none."""
        if self.settings.a4_printer == "none":
            return None

        def printer() -> A4Printer:
            return self.device_panel.devices().a4()

        return printer

    def citizen_services(self) -> CitizenServices:
        """Forms, ratings and progress of the terminal (its data opens just after the first frame)."""
        from kiosk.services.lazy_terminal import LazyTerminal

        terminal = self.terminal.open() if isinstance(self.terminal, LazyTerminal) else self.terminal
        return terminal.citizen

    def _install_idle_filter(self) -> None:
        """Every touch, click and key resets the idle countdown (the filter sees every event of the application,
        so it is not there while the first frame is being made: nobody touches a screen not yet shown)."""
        if not self._idle_filter_installed:
            self._idle_filter_installed = True
            self.app.installEventFilter(self.idle)

    def _install_changes(self) -> None:
        """What changed, bridged to the UI thread once: the home screen's counts follow the catalog."""
        if self.changes is None:
            from kiosk.ui.shell.changes_bridge import ChangesBridge

            self.changes = ChangesBridge(self.terminal.changes, self)
            self.changes.catalogChanged.connect(self.app_state.refreshCatalog)
            self.changes.serviceStateChanged.connect(self.service_state.reread)

    def _install_sync_indicator(self) -> SyncIndicator:
        """What the screens show of sync. Until the sync engine is attached (after the first frame, from a worker)
        nothing is known, and the first frame shows nothing of it."""
        if self._sync_indicator is None:
            from kiosk.ui.shell.sync_indicator import SyncIndicator

            self._sync_indicator = SyncIndicator(self.settings.stale_catalog_days, self)
            self.engine.rootContext().setContextProperty("syncState", self._sync_indicator)
        return self._sync_indicator

    @property
    def notices_feed(self) -> NoticesFeed:
        """The center's notices showing now (made when first needed; reading starts with ``start()``)."""
        if self._notices_feed is None:
            from kiosk.ui.shell.notices_feed import NoticesFeed

            self._install_changes()
            feed = NoticesFeed(self.terminal.background, self._database, self)
            self._notices_feed = feed
            self.engine.rootContext().setContextProperty("noticesFeed", feed)
            if self.changes is not None:
                self.changes.noticesChanged.connect(feed.refresh)
            self.keep_awake_while(lambda: feed.opened != "", feed.openedChanged)  # a notice open times out
        return self._notices_feed

    def _database(self) -> Database:
        """The terminal's database (opened on first use: called on a worker)."""
        from kiosk.services.lazy_terminal import LazyTerminal

        terminal = self.terminal.open() if isinstance(self.terminal, LazyTerminal) else self.terminal
        return terminal.database

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
    def identity_prompt(self) -> IdentityPrompt:
        """请放置身份证: the screen a feature shows when it needs the citizen's identity (made on first use)."""
        if self._identity_prompt is None:
            from kiosk.ui.shell.identity_prompt import IdentityPrompt

            self._identity_prompt = IdentityPrompt(
                self.session,
                self.navigator,
                self.voice.say,
                self,
                self.citizen_services,
                card_left=lambda: self.device_panel.cardLeft,
            )
            self._identity_prompt.wanted.connect(self.device_panel.on_identity_wanted)
            self.engine.rootContext().setContextProperty("identityPrompt", self._identity_prompt)
        return self._identity_prompt

    @Slot(str)
    def _on_scan(self, text: str) -> None:
        """A scanned code, wherever the citizen is: an identity code while the identity prompt shows; else the
        features' handlers (a rating code opens the rating of its case or visit)."""
        if self._identity_prompt is not None and self._identity_prompt.on_scan(text):
            return
        if any(handler(text) for handler in self._scan_handlers):
            return
        log.info("a scanned code was not one the terminal acts on here (%d characters)", len(text))

    def _note_frame_time(self) -> None:
        if self.first_frame_at is None:
            self.first_frame_at = time.time()

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
        the card reader. Made after the first frame."""
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
            or any(busy() for busy in self._keep_awake)
            or self.session.active
        )

    def citizen_busy(self) -> bool:
        """Whether a citizen is using the screens now (the 暂停服务 page waits until they are done): what keeps
        the idle countdown running. A role with a session of its own says so (the rating pad's rating)."""
        return self.idle.active

    @Slot()
    def _back_in_service(self) -> None:
        """The 暂停服务 page went: the role's home screen again (not under the operator's maintenance screen)."""
        if self.navigator.current != "maintenance":
            self.reset_session()

    @Slot()
    def reset_session(self) -> None:
        """End the citizen's session: home screen, every screen's state cleared, the terminal's defaults back."""
        log.info("session reset")
        QGuiApplication.inputMethod().hide()
        self.navigator.home()  # each screen's view-model clears itself when its screen leaves the stack
        for parts in self._installed.values():
            parts.reset_session()
        if self._device_panel is not None:
            self._device_panel.clear()
        if self._identity_prompt is not None:
            self._identity_prompt.clear()
        if self._notices_feed is not None:
            self._notices_feed.clear()
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
        self.service_state.stop()
        self.app.removeEventFilter(self.idle)
        if getattr(self, "scan_filter", None) is not None:
            self.app.removeEventFilter(self.scan_filter)
            self.scan_filter.deleteLater()
        for parts in self._installed.values():
            if parts.close is not None:
                parts.close()
        if self._device_panel is not None:
            self._device_panel.close()
        if self._notices_feed is not None:
            self._notices_feed.close()
        if self._voice is not None:
            self._voice.close()
        if self.changes is not None:
            self.changes.close()
        self.translations.close()
        QGuiApplication.inputMethod().hide()  # the keyboard's state is the application's, not this window's
        self.window.setProperty("allowClose", True)
        self.window.close()
        self.engine.deleteLater()
        self.deleteLater()
