from .evidence import Evidence, evidence_path
from .opening import ReviewOpening
from .tally import ItemTally, TaskTally
from .task import ExtensionRequest, Task, TaskEvent

__all__ = ["Evidence", "ExtensionRequest", "ItemTally", "ReviewOpening", "Task", "TaskEvent", "TaskTally", "evidence_path"]
