from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.forms_util import add_errors
from accounts.scope import require
from tasks.models import Task

from .. import services
from ..forms import TalkForm
from ..pickers import own_talker_org
from .common import file_response


@login_required
def talks(request):
    require(request.user, "sensitive")
    rows = services.visible_talks(request.user).select_related("org", "talker_org")
    today = timezone.localdate()
    duty = (
        Task.objects.restrict(request.user, "view").filter(kind=Task.Kind.DUTY, title__contains="谈话",
                            period_start__lte=today, period_end__gte=today)
        .exclude(status=Task.Status.CANCELLED).select_related("org").order_by("org__path", "due_date")[:20]
    )
    coverage = [(t, c) for t in duty if (c := services.talk_coverage(t)) is not None]
    return render(request, "inspections/talks.html", {"talks": rows, "coverage": coverage})


@login_required
def talk_create(request):
    require(request.user, "sensitive")
    own = own_talker_org(request.user)  # the recorder talked for their own unit, unless changed
    initial = {"held_on": timezone.localdate(), **({"talker_org": own, "talkers": [request.user.pk]} if own else {})}
    form = TalkForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.record_talk(request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Talk recorded."))
            return redirect("inspections:talk_detail", pk=talk.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("Record a talk"), "multipart": True})


@login_required
def talk_detail(request, pk):
    talk = services.get_talk(request.user, pk)  # audited
    return render(request, "inspections/talk_detail.html", {"talk": talk})


@login_required
def talk_file(request, pk):
    talk = services.get_talk(request.user, pk)
    audit.record("inspections.talk_file_downloaded", obj=talk)
    return file_response(talk.record_file, talk.record_name)
