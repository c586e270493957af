"""The ``counter`` role (窗口): the staff's calling window over the hall's queue service (docs/counter.md)."""
