"""The ``rating`` role (评价器): the pad facing the citizen at one counter (setting ``rating_counter``). It shows who
serves there and the ticket being served, asks for the rating at 办结 through the rating flow
(``kiosk.flows.rating``, as the kiosk's rating screen does) and gives it to the hall, keeping it on the pad while
the hall is away (docs/rating-pad.md)."""
