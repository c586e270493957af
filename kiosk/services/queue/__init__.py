"""取号 and 预约签到 for the citizen's kiosk: the hall's services as the kiosk shows them, taking a ticket, checking in
an appointment, what a refusal says to the citizen, and the printed ticket (docs/ui.md, docs/printing.md)."""
