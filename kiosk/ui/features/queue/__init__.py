"""取号排队: taking a queue number and checking in an appointment at the hall's kiosk."""
