"""Celery entry points of the tasks app (thin wrappers over services).

Generation: ``tasks.generate_current`` runs daily at 01:10 Asia/Shanghai
(django-celery-beat schedule created by responsibilities' post_migrate
handler). Safe to run any number of times: it creates only missing rows."""

from celery import shared_task

from . import generation


@shared_task(name="tasks.generate_current")
def generate_current() -> int:
    return generation.generate_current()
