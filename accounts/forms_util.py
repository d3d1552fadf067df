"""Form helpers shared by every app's views (accounts is the spine every app already depends on)."""

from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """Put a service ValidationError onto a form: messages of fields the form has go to
    those fields, every other message (``__all__``, unknown keys, a plain message) on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
