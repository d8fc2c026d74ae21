"""Feed addresses may not reach into our own network: refused when registered, resolved once when
fetched and connected to at the address that was checked (DNS rebinding), each redirect checked.

Nothing touches the network: names are resolved by a fake getaddrinfo, and the connections meant
for a public address are led to a server on 127.0.0.1, which records what it was asked.
"""

import contextlib
import http.server
import socket
import ssl
import threading
import time

import pytest
from django.urls import reverse

from circles.models import Visibility
from events.feeds import check_address, fetch_url
from events.ical import ADDRESS_REFUSED, FETCH_FAILED, FeedRejected
from events.models import IcalFeed
from events.tests.conftest import PUBLIC_TEST_ADDRESS
from events.tests.test_agenda import make_agenda_circle

pytestmark = pytest.mark.django_db

FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nEND:VCALENDAR\r\n"


# --- Registering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/agenda.ics", "http://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/"],
)
def test_registering_a_feed_at_a_private_address_is_refused_with_a_clear_error(client_of, owner, cities, url):
    circle = make_agenda_circle(slug="adresses", visibility=Visibility.PUBLIC, organizer=owner)
    response = client_of(owner).post(
        reverse("agenda:feed_add"), {"url": url, "circle": circle.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "leads to a private or local network" in response.content.decode()
    assert not IcalFeed.objects.exists()


def test_registering_a_feed_at_a_name_that_does_not_exist_says_so(client_of, owner, cities, monkeypatch):
    def nowhere(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", nowhere)
    circle = make_agenda_circle(slug="nulle-part", visibility=Visibility.PUBLIC, organizer=owner)
    response = client_of(owner).post(
        reverse("agenda:feed_add"),
        {"url": "https://agenda.typo.example/a.ics", "circle": circle.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "No server called agenda.typo.example" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",  # shared address space (carrier-grade NAT)
    ],
)
def test_addresses_hiding_a_private_one_are_refused(url):
    with pytest.raises(FeedRejected) as refused:
        check_address(url)
    assert refused.value.code == ADDRESS_REFUSED


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_TEST_ADDRESS, port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.1", port)),
        ],
    )
    with pytest.raises(FeedRejected) as refused:
        check_address("https://mixed.example.net/a.ics")
    assert refused.value.code == ADDRESS_REFUSED


# --- Fetching: one resolution, the connection to the checked address -------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hosts: list[str] = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        _Recorder.hosts.append(self.headers["Host"])
        if self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        elif self.path == "/drip":
            self.send_response(200)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client hung up
                for _byte in range(100):  # 5 seconds of a byte every 50 ms
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.05)
            return
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
        self.end_headers()
        if self.path == "/agenda.ics":
            self.wfile.write(FEED)

    def log_message(self, *args):
        pass


@pytest.fixture
def led_to_local_server(monkeypatch):
    """Every connection lands on a local server; the addresses asked for are returned."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    _Recorder.hosts = []
    asked = []
    real_create_connection = socket.create_connection

    def create_connection(address, *args, **kwargs):
        asked.append(address[:2])
        return real_create_connection(("127.0.0.1", server.server_address[1]), *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield asked
    server.shutdown()
    server.server_close()


def test_a_name_rebound_to_loopback_after_the_check_is_still_fetched_from_the_checked_address(
    led_to_local_server, monkeypatch
):
    answers = iter([PUBLIC_TEST_ADDRESS])

    def rebinding(host, port, *args, **kwargs):
        # Public when checked, loopback ever after: a resolution at connect time would get 127.0.0.1.
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert fetch_url(url="http://rebind.example.net/agenda.ics") == FEED
    assert led_to_local_server == [(PUBLIC_TEST_ADDRESS, 80)]
    assert _Recorder.hosts == ["rebind.example.net"]  # the Host header names the feed's host


def test_tls_checks_the_certificate_of_the_host_name_on_the_checked_address(monkeypatch):
    asked, server_names = [], []

    def create_connection(address, *args, **kwargs):
        asked.append(address[:2])
        return socket.socket()

    def wrap_socket(self, sock, *args, server_hostname=None, **kwargs):
        server_names.append(server_hostname)
        raise ssl.SSLCertVerificationError("certificate verify failed")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", wrap_socket)
    with pytest.raises(FeedRejected) as failed:
        fetch_url(url="webcal://secure.example.org/agenda.ics")
    assert failed.value.code == FETCH_FAILED
    assert asked == [(PUBLIC_TEST_ADDRESS, 443)] and server_names == ["secure.example.org"]


def test_each_redirect_is_checked_again_and_redirects_are_capped(led_to_local_server):
    with pytest.raises(FeedRejected) as refused:
        fetch_url(url="http://feeds.example.org/to-metadata")
    assert refused.value.code == ADDRESS_REFUSED
    assert ("169.254.169.254", 80) not in led_to_local_server
    with pytest.raises(FeedRejected) as looping:
        fetch_url(url="http://feeds.example.org/loop")
    assert looping.value.code == FETCH_FAILED and "redirects" in looping.value.english()


def test_a_server_sending_a_byte_at_a_time_is_cut_off_at_the_deadline(led_to_local_server):
    with pytest.raises(FeedRejected) as slow:
        fetch_url(url="http://feeds.example.org/drip", timeout=0.5)
    assert slow.value.code == FETCH_FAILED and "timed out" in slow.value.english()
