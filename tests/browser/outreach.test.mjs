// Browser test of outreach/ on a phone (390x844): the head of Thôn 1
// (truongthon) records a village meeting with a photo from the camera
// input; the office (vanphong) sees the coverage matrix with the villages
// a campaign missed highlighted, on one topic at a time, without the page
// scrolling sideways; the office writes a news post with a script in its
// text and publishes it; a citizen reads it on /citizen/news, the script
// shown as text. Screenshots go to artifacts/screenshots/outreach-*.png.
// Run: node --test (QUANTRI_BIN names the binary; default build/quantri).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPhone, PHOTO, PHONE, ROOT, SHOTS } from './phone.mjs';

// Unique words, so the lists find this case among the demo's.
const TITLE = 'Hướng dẫn người cao tuổi cài ứng dụng VNeID';
const NEWS_TITLE = 'Thôn 1 hoàn thành hướng dẫn dịch vụ công trực tuyến';
const NEWS_BODY = 'Trong tháng 11, Thôn 1 đã tổ chức 3 buổi hướng dẫn người dân nộp hồ sơ trực tuyến.\n\nGhi chú kỹ thuật: <script>document.title=\'hacked\'</script> không được chạy.';

let phone, base, context, page;
let activityUrl, newsUrl;

const shot = (name) => phone.shot(name);
const login = (username) => phone.login(username);
const submit = (locator) => phone.submit(locator);

before(async () => {
	phone = await openPhone('outreach', {
		// the demo and the dates typed below agree on the day: 27/11/2026
		QUANTRI_NOW: '2026-11-27T03:00:00Z' });
	({ base, context, page } = phone);
});

after(async () => {
	if (phone) await phone.close();
});


test('the head of Thôn 1 records a village meeting with a photo', async () => {
	await login('truongthon');
	const r = await page.goto(base + '/outreach/new');
	assert.equal(r.status(), 200);
	// a village head is offered their own village only, already ticked
	assert.equal(await page.locator('input[name="villages"]').count(), 1);
	assert.ok(await page.isChecked('input[name="villages"]'));
	await page.selectOption('#channel', { label: 'Họp thôn' });
	await page.selectOption('#topic_id', { label: 'Chính quyền điện tử, chuyển đổi số' });
	await page.fill('#held_on', '25/11/2026');
	await page.fill('#title', TITLE);
	await page.fill('#audience', '37');
	await page.check('input[name="links"][value="D8"]');
	await page.setInputFiles('#photo', PHOTO);
	await shot('record-form');
	// a day in the future is refused with the field named, nothing saved
	await page.fill('#held_on', '01/12/2099');
	await submit(page.getByRole('button', { name: 'Lưu' }));
	assert.match(await page.textContent('.errors'), /không được sau hôm nay/);
	await shot('record-invalid');
	await page.fill('#held_on', '25/11/2026');
	await page.setInputFiles('#photo', PHOTO);
	await submit(page.getByRole('button', { name: 'Lưu' }));
	activityUrl = page.url();
	assert.match(new URL(activityUrl).pathname, /^\/outreach\/\d+$/);
	const main = await page.textContent('main');
	assert.ok(main.includes(TITLE));
	assert.ok(main.includes('Thôn 1'));
	assert.ok(main.includes('25/11/2026'));
	assert.equal(await page.locator('.evidence img').count(), 1, 'the photo is on the activity');
	await shot('activity');
	// the list finds it without diacritics
	await page.goto(base + '/outreach?q=' + encodeURIComponent('NGUOI CAO TUOI cai ung dung vneid'));
	assert.equal(await page.locator('.outreach-card').count(), 1);
	await shot('list');
});

test('the office sees the coverage matrix with the villages a campaign missed', async () => {
	await login('vanphong');
	await page.goto(base + '/outreach/coverage?year=2026');
	const gaps = await page.textContent('.gaps');
	assert.match(gaps, /Thủ tục hành chính, dịch vụ công trực tuyến/);
	assert.match(gaps, /Thôn 4/);
	assert.ok(await page.locator('td.gap').count() > 0, 'gap cells are highlighted');
	// the village column stays in view while the matrix scrolls
	const wrap = page.locator('.coverage-wrap').first();
	assert.ok(await wrap.evaluate((e) => e.scrollWidth > e.clientWidth), 'the matrix scrolls in its box');
	await shot('coverage');
	await wrap.scrollIntoViewIfNeeded();
	await wrap.evaluate((e) => { e.scrollLeft = 400; });
	const th = wrap.locator('tbody th').first();
	const box = await th.boundingBox();
	assert.ok(box.x < 40, `village column stays at the left (x=${box.x})`);
	await page.screenshot({ path: path.join(SHOTS, `outreach-coverage-scrolled-${PHONE.width}.png`) });
	// one topic at a time, by month
	await page.getByRole('link', { name: 'xem theo tháng' }).first().click();
	await page.waitForLoadState('load');
	assert.match(await page.textContent('h2:has-text("Theo tháng")'), /Thủ tục hành chính/);
	await shot('coverage-topic');
});

test('the office publishes a news post and a citizen reads it', async () => {
	await login('vanphong');
	await page.goto(base + '/outreach/news/new');
	await page.fill('#title', NEWS_TITLE);
	await page.fill('#body', NEWS_BODY);
	await page.setInputFiles('#photo', PHOTO);
	await shot('news-form');
	await submit(page.getByRole('button', { name: 'Lưu và đăng' }));
	newsUrl = page.url();
	assert.match(await page.textContent('main'), /Đã đăng/);
	await shot('news-post');
	const id = newsUrl.split('/').pop();
	await context.clearCookies();
	await page.goto(base + '/citizen/news');
	await submit(page.getByRole('link', { name: NEWS_TITLE }));
	assert.equal(new URL(page.url()).pathname, `/citizen/news/${id}`);
	const text = await page.textContent('article');
	assert.ok(text.includes("<script>document.title='hacked'</script>"), 'the script is shown as text');
	assert.notEqual(await page.title(), 'hacked', 'the script did not run');
	assert.equal(await page.locator('article p.news-text').count(), 2);
	const img = page.locator('img.news-photo');
	assert.equal(await img.count(), 1);
	assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth > 0), 'the photo loads without a login');
	await shot('citizen-news');
});
