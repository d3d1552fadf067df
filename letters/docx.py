"""A 目标责任书 as an official document (.docx in the GB/T 9704-2012 layout of
inspections.docx — the same layout code, fed a ``Letter``), with both sides' signature lines
after the 成文日期. A letter not yet issued prints with today's date (a preview)."""

from django.utils import timezone

from inspections.docx import Letter, official_docx

from .texts import SIGNATURES, party_name


def as_letter(letter) -> Letter:
    body = [p.strip() for p in letter.body.splitlines() if p.strip()]
    return Letter(party_name(letter.issuer), letter.number, letter.title, [letter.org.name], body,
                  letter.issued_on or timezone.localdate(), after=list(SIGNATURES))


def letter_docx(letter) -> bytes:
    return official_docx(as_letter(letter))
