"""The task flow of measures, replies and re-checks goes through ``tasks.services``
(the one status machine). This module only imports it lazily."""


def flow():
    from tasks import services

    return services
