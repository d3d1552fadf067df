from .calendar import dispatch, holidays
from .io import export_list, import_list
from .items import item_create, item_edit, item_move, item_toggle, optout_end, optouts
from .lists import archive, copy_year, detail, index, list_create, list_edit, load_defaults, publish

__all__ = [
    "archive", "copy_year", "detail", "dispatch", "export_list", "holidays", "import_list", "index", "item_create",
    "item_edit", "item_move", "item_toggle", "list_create", "list_edit", "load_defaults", "optout_end", "optouts",
    "publish",
]
