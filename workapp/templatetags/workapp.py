from django import template

from .. import providers

register = template.Library()


@register.inclusion_tag("workapp/signin_links.html", takes_context=True)
def workapp_signin_links(context):
    """The sign-in page's "sign in from the work app" buttons, one per configured provider."""
    request = context.get("request")
    next_url = request.GET.get("next", "") if request is not None else ""
    return {"links": [(p, providers.label(p)) for p in providers.configured_providers()], "next": next_url}
