"""The ``counter`` role (窗口): the staff's calling window. Not built yet: its entry says so on screen."""
