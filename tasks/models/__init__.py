from .evidence import Evidence, evidence_path
from .opening import ReviewOpening
from .task import ExtensionRequest, Task, TaskEvent

__all__ = ["Evidence", "ExtensionRequest", "ReviewOpening", "Task", "TaskEvent", "evidence_path"]
