"""The phone app offline (issue 14), in Chromium at a phone's size: a member logs a visit
with a photo and checks in without a network; back online both reach the server once,
with their capture time; a refused record stays on the phone with the server's message;
another person on the same phone sees none of it."""

import io
import json
import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from attendance.models import CheckIn
from households.models import DiaryEntry, Visit
from reports.models import LedgerRecord
from tests import factories
from tests.households.factories import HouseholdFactory, ensure_policies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TAKEN = "2026:11:20 08:15:00"


@pytest.fixture(autouse=True)
def _policies(transactional_db):
    ensure_policies()


def photo_with_exif(path):
    image = Image.new("RGB", (2400, 1800), (90, 140, 200))
    exif = Image.Exif()
    exif[0x0132] = TAKEN
    exif.get_ifd(0x8769)[0x9003] = TAKEN
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return str(path)


def open_phone_app(page):
    """First visit with a network: the service worker takes the page, the village is kept."""
    page.goto("/m/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.wait_for_selector("#zc-workbench[data-loaded]", state="attached")


def bounded(page, script: str):
    """Evaluate an async script that fails after 15 s instead of waiting for ever."""
    return page.evaluate(
        f"""Promise.race([({script})(), new Promise((_, reject) =>
              setTimeout(() => reject(new Error("no answer in 15 s")), 15000))])"""
    )


def queue_status(page):
    return page.get_by_test_id("queue-status")


def test_member_logs_visit_and_checks_in_offline_then_both_reach_server_once(
    page, login, tmp_path, live_server
):
    team = factories.staffed_team()
    household = HouseholdFactory(village=team.village, head_name="乌日娜")
    member = factories.a_member_of(team)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 39.6, "longitude": 109.8, "accuracy": 15})
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    login(member)
    open_phone_app(page)
    page.goto("/")  # the home page is kept on the phone once the service worker runs
    page.goto("/m/")
    page.wait_for_selector("#zc-workbench[data-loaded]", state="attached")
    page.context.set_offline(True)
    page.goto("/households/")  # a page not kept on the phone opens the workbench instead
    expect(page.get_by_test_id("offline-to-visit")).to_contain_text("乌日娜")
    page.reload()  # served from the phone's own copy
    expect(page.get_by_test_id("offline-to-visit")).to_contain_text("乌日娜")

    page.get_by_test_id("offline-visit-button").first.click()
    page.select_option("#zc-visit-form select[name=kind]", "initial")
    page.fill("#zc-visit-form textarea[name=findings]", "家中老人身体健康，住房安全")
    page.set_input_files("[data-testid=visit-photos]", photo_with_exif(tmp_path / "v.jpg"))
    expect(page.get_by_test_id("visit-photos")).to_have_attribute("data-resized", "1")
    page.get_by_test_id("save-visit").click()
    expect(queue_status(page)).to_have_attribute("data-waiting", "1")
    expect(
        page.get_by_test_id("offline-to-visit").get_by_test_id("visit-on-phone")
    ).to_be_visible()
    page.get_by_test_id("checkin-with-location").click()
    expect(queue_status(page)).to_have_attribute("data-waiting", "2")
    assert "已保存在本机，2 条待发送" in queue_status(page).inner_text()
    page.goto("/")  # the home page, kept on the phone, says what is waiting too
    expect(page.get_by_test_id("queue-banner")).to_contain_text("已保存在本机，2 条待发送")
    page.goto("/m/")
    assert not Visit.objects.exists() and not CheckIn.objects.exists()

    page.context.set_offline(False)  # the network returns: what waits is sent on its own
    expect(queue_status(page)).to_have_attribute("data-waiting", "0", timeout=20000)
    expect(page.get_by_test_id("queue-item")).to_have_count(0)

    visit = Visit.objects.get()
    assert (visit.household, visit.kind, visit.logged_by) == (household, "initial", member)
    assert visit.client_key is not None and visit.captured_at is not None
    stored = visit.photos.get()
    assert max(stored.width, stored.height) == 1600  # resized on the phone
    assert f"{timezone.localtime(stored.taken_at):%Y:%m:%d %H:%M:%S}" == TAKEN  # EXIF time kept
    checkin = CheckIn.objects.get()
    assert checkin.captured_at is not None and checkin.client_key is not None
    assert checkin.latitude is not None and checkin.accuracy_m == 15
    assert hosts == {urlparse(live_server.url).netloc}  # nothing from outside the server


def test_retried_sync_with_the_same_key_stores_one_record(page, login):
    team = factories.staffed_team()
    login(factories.a_member_of(team))
    open_phone_app(page)
    page.wait_for_load_state("networkidle")  # the test server shares one SQLite connection
    answers = bounded(
        page,
        """async () => {
          const record = {client_key: crypto.randomUUID(), kind: "diary",
            captured_at: new Date().toISOString(), sent_late: true,
            fields: [["date", new Date().toISOString().slice(0, 10)], ["text", "牧区走访"]]};
          const first = await ZCQueue.send(record, ZCApp.csrf);
          const second = await ZCQueue.send(record, ZCApp.csrf);
          return [first.status, second.status];
        }""",
    )
    assert answers == ["stored", "duplicate"]
    assert DiaryEntry.objects.count() == 1


def test_refused_record_stays_with_the_message_and_another_person_sees_no_queue(page, login):
    team = factories.staffed_team()
    household = HouseholdFactory(village=team.village, head_name="其木格")
    member = factories.a_member_of(team)
    login(member)
    open_phone_app(page)
    page.context.set_offline(True)
    page.get_by_test_id("offline-visit-button").first.click()
    page.fill("#zc-visit-form textarea[name=findings]", "已搬迁")
    page.get_by_test_id("save-visit").click()
    expect(queue_status(page)).to_have_attribute("data-waiting", "1")

    household.village = factories.VillageFactory()  # the household moved meanwhile
    household.save()
    page.context.set_offline(False)
    expect(queue_status(page)).to_have_attribute("data-refused", "1", timeout=20000)
    item = page.get_by_test_id("queue-item")
    expect(item.get_by_test_id("queue-message")).not_to_be_empty()
    assert item.get_attribute("data-status") == "refused"
    assert not Visit.objects.exists()
    page.reload()  # still on the phone after a reload
    expect(page.get_by_test_id("queue-message")).not_to_be_empty()

    # The session ends without a logout; another person logs in on the same phone.
    page.wait_for_load_state("networkidle")  # the test server shares one SQLite connection
    page.context.clear_cookies()
    login(factories.leader_of(team))
    open_phone_app(page)
    expect(queue_status(page)).to_have_attribute("data-waiting", "0")
    expect(page.get_by_test_id("queue-item")).to_have_count(0)

    # The first person comes back: their refused record is still there, to fix or drop.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    login(member)
    page.goto("/m/")
    expect(page.get_by_test_id("queue-item")).to_have_count(1)
    # Logging out clears the phone's copy, once the person confirms.
    page.wait_for_load_state("networkidle")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".navbar-toggler").click()
    page.locator("form[data-logout] button").click()
    page.wait_for_url("**/accounts/login/**")
    login(member)
    page.goto("/m/")
    expect(queue_status(page)).to_have_attribute("data-waiting", "0")
    expect(page.get_by_test_id("queue-item")).to_have_count(0)


def test_service_worker_scope_and_manifest_are_valid(page, login, live_server):
    login(factories.a_member_of(factories.staffed_team()))
    page.goto("/m/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    scope = bounded(page, "async () => (await navigator.serviceWorker.ready).scope")
    assert scope == live_server.url + "/"
    worker = page.request.get("/sw.js")
    assert worker.headers["service-worker-allowed"] == "/"
    assert "javascript" in worker.headers["content-type"]
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["short_name"] == "驻村工作" and manifest["name"]
    assert manifest["start_url"] == "/m/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.body())).size
        assert f"{width}x{height}" == icon["sizes"]
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    assert re.fullmatch(r"/m/", urlparse(manifest["start_url"]).path)


def test_online_visit_form_sends_the_photo_resized_on_the_phone(page, login, tmp_path):
    """The online visit form resizes photos in the browser too (a 23 MB photo is no longer
    uploaded whole): the file sent is a JPEG of at most 1,600 px with its EXIF time."""
    team = factories.staffed_team()
    household = HouseholdFactory(village=team.village, head_name="乌日娜")
    login(factories.a_member_of(team))
    page.goto(f"/households/{household.pk}/visit/")
    original = photo_with_exif(tmp_path / "big.jpg")
    page.set_input_files("input[name=photos]", original)
    photos = page.locator("input[name=photos]")
    expect(photos).to_have_attribute("data-resized", "1")
    sent = bounded(
        page,
        """async () => {
          const file = document.querySelector("input[name=photos]").files[0];
          const bitmap = await createImageBitmap(file);
          const time = ZCPhotos.exifTime(await file.arrayBuffer());
          return [file.type, file.size, bitmap.width, bitmap.height, time];
        }""",
    )
    assert sent[0] == "image/jpeg" and (sent[2], sent[3]) == (1600, 1200)
    assert sent[1] < (tmp_path / "big.jpg").stat().st_size
    assert sent[4] == TAKEN
    page.fill("textarea[name=findings]", "住房安全")
    page.get_by_test_id("save-visit").click()
    page.wait_for_url("**/households/to-visit/**")
    stored = Visit.objects.get().photos.get()
    assert f"{timezone.localtime(stored.taken_at):%Y:%m:%d %H:%M:%S}" == TAKEN


def test_phone_copy_expires_with_the_session(page, login):
    team = factories.staffed_team()
    HouseholdFactory(village=team.village, head_name="乌日娜")
    login(factories.a_member_of(team))
    page.get_by_test_id("home-phone-app").click()
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.wait_for_selector("#zc-workbench[data-loaded]", state="attached")
    bounded(
        page,
        """async () => ZCQueue.setMeta({uid: ZCApp.uid, csrf: ZCApp.csrf,
                                         expires: "2000-01-01T00:00:00+00:00"})""",
    )
    page.context.set_offline(True)
    page.reload()
    assert "乌日娜" not in page.content()  # no kept page, no kept village after the session
    kept = bounded(
        page,
        """async () => {
          const counts = [];
          for (const info of await indexedDB.databases()) {
            if (!info.name.startsWith("zc-user-")) { continue; }
            const db = await new Promise(done => {
              const open = indexedDB.open(info.name);
              open.onsuccess = () => done(open.result);
            });
            counts.push(await new Promise(done => {
              const count = db.transaction("data").objectStore("data").count();
              count.onsuccess = () => done(count.result);
            }));
            db.close();
          }
          return [await caches.has("zc-pages"), counts];
        }""",
    )
    assert kept == [False, [0]]


def test_diary_and_ledger_draft_offline_and_a_refused_entry_is_fixed(page, login):
    team = factories.staffed_team()
    member = factories.a_member_of(team)
    login(member)
    open_phone_app(page)
    page.context.set_offline(True)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.fill("#zc-diary-form input[name=date]", tomorrow)  # a slip: refused on arrival
    page.get_by_test_id("diary-text").fill("牧户反映草场围栏损坏")
    page.get_by_test_id("save-diary").click()
    page.select_option("#zc-ledger-form select[name=kind]", "training")
    expect(page.locator("#zc-ledger-form select[name=training_topic]")).to_be_visible()
    expect(page.locator("#zc-ledger-form input[name=project_name]")).to_be_hidden()
    page.select_option("#zc-ledger-form select[name=training_topic]", "skills")
    page.fill("#zc-ledger-form input[name=title]", "冬季舍饲养殖培训")
    page.fill("#zc-ledger-form input[name=participant_count]", "32")
    page.get_by_test_id("save-ledger").click()
    expect(queue_status(page)).to_have_attribute("data-waiting", "2")

    page.context.set_offline(False)
    expect(queue_status(page)).to_have_attribute("data-refused", "1", timeout=20000)
    expect(queue_status(page)).to_have_attribute("data-waiting", "0")
    record = LedgerRecord.objects.get()
    assert (record.kind, record.training_topic, record.participant_count) == (
        "training",
        "skills",
        32,
    )
    assert record.captured_at is not None and not DiaryEntry.objects.exists()

    # The refused diary entry is fixed on the phone and sent again under the same key.
    page.get_by_test_id("queue-edit").click()
    expect(page.get_by_test_id("diary-text")).to_have_value("牧户反映草场围栏损坏")
    page.fill("#zc-diary-form input[name=date]", timezone.localdate().isoformat())
    page.get_by_test_id("save-diary").click()
    expect(page.get_by_test_id("queue-item")).to_have_count(0, timeout=20000)
    entry = DiaryEntry.objects.get()
    assert (entry.text, entry.date, entry.author) == (
        "牧户反映草场围栏损坏",
        timezone.localdate(),
        member,
    )
    assert entry.captured_at is not None  # made offline, so still marked as sent late
