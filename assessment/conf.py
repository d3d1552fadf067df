from django.conf import settings


def evidence_max_bytes() -> int:
    return getattr(settings, "QINGDAN_ASSESSMENT_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
