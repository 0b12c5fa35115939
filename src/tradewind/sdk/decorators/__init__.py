"""TaskFlow decorators: `dag`, `task` (and its variants), `task_group`, `setup`, `teardown`."""

from tradewind.sdk.decorators.dag import dag
from tradewind.sdk.decorators.task import setup, task, teardown
from tradewind.sdk.decorators.task_group import task_group

__all__ = ["dag", "setup", "task", "task_group", "teardown"]
