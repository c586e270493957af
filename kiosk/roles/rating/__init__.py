"""The ``rating`` role (评价器): the pad facing the citizen at a counter. Not built yet: its entry says so on screen;
it will give ratings through the rating flow (``kiosk.flows.rating``), as the kiosk's rating screen does."""
