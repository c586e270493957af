"""The rating pad (评价器) facing the citizen at a counter, Qt-free: what it shows of its counter, and the ratings it
gives to the hall, kept on the pad until the hall has them."""
