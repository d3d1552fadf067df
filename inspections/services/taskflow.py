"""The task flow of measures, replies and re-checks goes through ``tasks.services``
(the one status machine), imported lazily (tasks may import inspections' models)."""


def flow():
    from tasks import services

    return services
