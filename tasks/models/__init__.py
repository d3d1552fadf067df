from .evidence import Evidence, evidence_path
from .task import ExtensionRequest, Task, TaskEvent

__all__ = ["Evidence", "ExtensionRequest", "Task", "TaskEvent", "evidence_path"]
