"""Which notices a customer gets by which channel, by their consents (the rule the portal
sends by and the console shows): an invoice by e-mail to an e-invoice customer (with the
document) or with the consent to e-mail notices (without it); every other notice by e-mail
with that consent; every notice by SMS with the consent to SMS notices."""

from __future__ import annotations

from .models import Consents, NoticeChannel, NoticeTopic


def consented_channels(topic: NoticeTopic, consents: Consents) -> tuple[NoticeChannel, ...]:
    found: list[NoticeChannel] = []
    if consents.notify_email or (topic is NoticeTopic.INVOICE and consents.e_invoice):
        found.append(NoticeChannel.EMAIL)
    if consents.notify_sms:
        found.append(NoticeChannel.SMS)
    return tuple(found)
