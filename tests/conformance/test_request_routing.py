"""Requests that reach the office (issue 17.3). Kartuzy: a request goes to a defined group
of recipients as an e-mail "with the sender's details in its footer"; the clerk's queue
shows where each went; a reply reaches the customer in the console and, with the
customer's consent to e-mail notices, by e-mail.

The demo's routing (fixtures/demo.json, the store's `routing` setting): failures and water
quality to "dyspozytor", complaints to "reklamacje" (two addresses), garden meters to
"odczyty", the rest to "bok". Both backends mail into the portal's outbox at once."""

from __future__ import annotations

from email.message import EmailMessage

from ibok_tui.domain.models import RequestCategory, RequestDraft, RequestStatus, RouteState
from tests.conformance.conftest import Portal
from tests.support.accounts import customer, operator
from tests.support.clock import PINNED_NOW
from tests.support.mail import body, messages

DISPATCHER = "dyspozytor@wodociagi-zalesie.example.pl"
COMPLAINTS = ("reklamacje@wodociagi-zalesie.example.pl", "bok@wodociagi-zalesie.example.pl")
ANNA_GARDEN = "M-OG-2104-00518"


def to(message: EmailMessage) -> set[str]:
    return {a.addr_spec for a in message["To"].addresses}


def about(portal: Portal, number: str) -> list[EmailMessage]:
    """The mails of the outbox whose subject names the request `number`."""
    return [m for m in messages(portal.outbox) if number in str(m["Subject"])]


async def test_kartuzy_a_failure_reaches_the_dispatcher_with_the_sender_in_the_footer(
    portal: Portal,
) -> None:
    anna = await customer(portal, "100002")
    request = await anna.create_request(
        RequestDraft(RequestCategory.FAILURE, "Brak wody", "Od rana nie ma wody w kranie.")
    )
    [mail] = about(portal, request.number)
    assert to(mail) == {DISPATCHER}
    subject = str(mail["Subject"])
    assert request.number in subject and "awaria" in subject and "Brak wody" in subject
    text = body(mail)
    assert f"Numer: {request.number}" in text
    assert "Rodzaj: awaria" in text
    assert "Od rana nie ma wody w kranie." in text
    assert "Wodomierz: nie wskazano" in text
    header, footer = text.split("\n-- \n")
    assert "Anna Nowak" not in header  # the sender is in the footer
    assert "Nadawca: Anna Nowak" in footer
    assert "Kod nabywcy: 100002" in footer
    assert "E-mail: anna.nowak@example.pl" in footer
    assert "Telefon: " in footer and "Adres: " in footer

    office = await operator(portal)
    [queued] = [r for r in await office.request_queue() if r.id == request.id]
    assert queued.route is not None
    assert queued.route.group == "dyspozytor"
    assert queued.route.recipients == (DISPATCHER,)
    assert queued.route.state is RouteState.SENT
    assert queued.route.routed_at == PINNED_NOW
    assert queued.route.sent_at == PINNED_NOW
    # the customer's own view does not show the utility's internal addresses
    assert (await anna.request(request.id)).route is None
    assert all(r.route is None for r in await anna.requests())


async def test_kartuzy_a_complaint_goes_to_the_complaints_office_not_the_dispatcher(
    portal: Portal,
) -> None:
    anna = await customer(portal, "100002")
    request = await anna.create_request(
        RequestDraft(RequestCategory.COMPLAINT, "Reklamacja faktury", "Za wysoka kwota.")
    )
    [mail] = about(portal, request.number)
    assert to(mail) == set(COMPLAINTS)
    assert all(DISPATCHER not in to(m) for m in messages(portal.outbox))
    office = await operator(portal)
    [queued] = [r for r in await office.request_queue() if r.id == request.id]
    assert queued.route is not None and queued.route.group == "reklamacje"
    assert queued.route.recipients == COMPLAINTS


async def test_kartuzy_the_mail_carries_the_meter_and_who_filed_it_at_the_desk(
    portal: Portal,
) -> None:
    office = await operator(portal)
    for_anna = await office.act_for("100002")
    request = await for_anna.create_request(
        RequestDraft(RequestCategory.GARDEN_METER_REMOVE, "Demontaż", "Licznik stoi.", ANNA_GARDEN)
    )
    [mail] = about(portal, request.number)
    assert to(mail) == {"odczyty@wodociagi-zalesie.example.pl"}
    text = body(mail)
    serial = next(m.serial for m in await for_anna.meters() if m.id == ANNA_GARDEN)
    assert f"Wodomierz: {serial}" in text
    assert "Zgłoszenie złożone w BOK przez: bok.anna" in text.split("\n-- \n")[1]


async def test_a_reply_reaches_a_consenting_customer_by_email_and_not_one_without(
    portal: Portal,
) -> None:
    jan = await customer(portal, "100001")  # consented to e-mail notices
    anna = await customer(portal, "100002")  # did not
    assert (await jan.profile()).customer.consents.notify_email
    assert not (await anna.profile()).customer.consents.notify_email
    office = await operator(portal)
    for who, number in ((jan, "jan.kowalski@example.pl"), (anna, "anna.nowak@example.pl")):
        request = await who.create_request(
            RequestDraft(RequestCategory.OTHER, "Pytanie", "Kiedy odczyt?")
        )
        await office.reply_request(
            request.id, "Odczyt w przyszłym tygodniu.", RequestStatus.ANSWERED
        )
        # in the console at once, for both
        seen = await who.request(request.id)
        assert seen.history[-1].text == "Odczyt w przyszłym tygodniu."
        replies = [m for m in about(portal, request.number) if number in to(m)]
        if who is jan:
            [reply] = replies
            assert "odpowiedź" in str(reply["Subject"])
            assert "Odczyt w przyszłym tygodniu." in body(reply)
            assert "Status: odpowiedziane" in body(reply)
        else:
            assert replies == []


async def test_a_hostile_body_forges_no_header_of_the_office_mail(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    forged = "Treść.\nBcc: wszyscy@example.com\nSubject: Wygrałeś\n\nKoniec."
    request = await anna.create_request(RequestDraft(RequestCategory.OTHER, "Pismo", forged))
    [mail] = about(portal, request.number)
    assert mail["Bcc"] is None
    assert mail.get_all("Subject") == [mail["Subject"]]
    assert "Wygrałeś" not in str(mail["Subject"])
    assert "Bcc: wszyscy@example.com" in body(mail)  # the text is there, as text
