"""Messages of reports.scoring kept inside the assessment app, so the assessment
catalog (assessment/locale) translates them."""

from django.utils.translation import gettext_lazy as _

YEAR_NOT_PUBLISHED = _("The duty lists of %(year)s are not published: there is nothing to score yet.")
