"""The forms feature (自助填表) as a role registers it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    from kiosk.ui.features.forms.form_flow import FormFlow

    forms = FormFlow(
        shell.citizen_services,
        shell.session,
        shell.identity_prompt,
        shell.navigator,
        shell.terminal.background,
        shell.settings,
        shell.voice.say,
        shell.a4_printer(),
        shell,
    )
    return Installed(view_models={"formFlow": forms}, attributes={"forms": forms})


FEATURE = Feature(
    name="forms",
    screens={
        "forms": "features/forms/FormsScreen.qml",  # the forms this terminal offers
        "formStep": "features/forms/FormStepScreen.qml",  # one step of the form being filled
        "formReview": "features/forms/FormReviewScreen.qml",  # every answer, before the form is taken in
        "formDone": "features/forms/FormDoneScreen.qml",  # the receipt number and the printout
    },
    view_models=("formFlow",),
    attributes=("forms",),
    install=install,
)
