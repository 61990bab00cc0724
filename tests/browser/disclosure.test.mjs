// Browser test of disclosure/ on a phone (390x844): the office (vanphong)
// records the poor-household list with a photo of the notice board
// taken from the phone, the register shows it with its period and no
// problem, the chair approves it for the public page, and a citizen
// without login reads it on /citizen/disclosures and opens its document. Screenshots: artifacts/screenshots/disclosure-*.png.
// Run: node --test (QUANTRI_BIN names the binary; default build/quantri).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPhone, PHOTO, PHONE, ROOT, SHOTS } from './phone.mjs';

let phone, base, context, page;

const shot = (name) => phone.shot(name);
const login = (username) => phone.login(username);
const submit = (locator) => phone.submit(locator);

before(async () => {
	phone = await openPhone('disclosure', { QUANTRI_NOW: '2026-11-27T02:00:00Z' });
	({ base, context, page } = phone);
});

after(async () => {
	if (phone) await phone.close();
});

const TITLE = 'Danh sách hộ nghèo bổ sung Thôn 1 tháng 11';
const PDF = path.join(ROOT, 'tests/fixtures/files/report.pdf');
let recordUrl;

test('the office records a disclosure with a photo on a phone', async () => {
	await login('vanphong');
	await page.goto(base + '/disclosure');
	await shot('register-before');
	await page.goto(base + '/disclosure/new');
	const item = await page.locator('#item_id option', { hasText: /^Khoản 6\./ }).getAttribute('value');
	await page.selectOption('#item_id', item);
	await page.fill('#title', TITLE);
	await page.setInputFiles('#document', PDF);
	await page.check('input[name="channels"][value="village_meeting"]');
	await page.check('.disc-villages input[type="checkbox"] >> nth=0');
	await page.fill('#posted_from', '20/11/2026');
	await page.fill('#posted_to', '19/12/2026');
	await page.setInputFiles('#evidence', PHOTO);
	await page.fill('#note', 'Đã đọc tại hội nghị thôn ngày 20/11.');
	await shot('form');
	await submit(page.locator('form.disc-form button[type="submit"]'));
	assert.match(page.url(), /\/disclosure\/\d+$/);
	recordUrl = page.url();
	assert.ok(await page.getByText('Đúng quy định').isVisible());
	assert.equal(await page.locator('.disc-evidence img').count(), 1);
	await shot('record');
});

test('the register shows it, without a problem, and the demo problems', async () => {
	await page.goto(base + '/disclosure?q=ho+ngheo+bo+sung');
	const card = page.locator('article.disc-record', { hasText: TITLE });
	assert.equal(await card.count(), 1);
	assert.ok(await card.getByText('Đúng quy định').isVisible());
	await page.goto(base + '/disclosure');
	assert.ok(await page.getByText(/Kết thúc sớm: công khai 21 ngày/).first().isVisible());
	assert.ok(await page.getByText(/Thiếu hình thức bắt buộc/).first().isVisible());
	await shot('register');
	// the first screen, as the phone shows it
	await page.screenshot({ path: path.join(SHOTS, `disclosure-register-top-${PHONE.width}.png`) });
	await page.locator('h2', { hasText: 'Bản ghi công khai' }).scrollIntoViewIfNeeded();
	await page.screenshot({ path: path.join(SHOTS, `disclosure-register-records-${PHONE.width}.png`) });
});

test('the chair approves it for the public page', async () => {
	// not public while it waits
	await context.clearCookies();
	await page.goto(base + '/citizen/disclosures');
	assert.equal(await page.locator('article.disc-public', { hasText: TITLE }).count(), 0);
	await login('chutich');
	await page.goto(recordUrl);
	assert.ok(await page.getByText(/duyệt trước khi đăng lên trang công khai/).isVisible());
	await submit(page.getByRole('button', { name: 'Duyệt đăng trang công khai' }));
	assert.ok(await page.getByText(/Được đăng trên trang công khai cho người dân, duyệt lúc/).isVisible());
	await shot('approved');
});

test('a citizen reads it on the public page and opens the document', async () => {
	await context.clearCookies();
	await page.goto(base + '/citizen/disclosures');
	const card = page.locator('article.disc-public', { hasText: TITLE });
	assert.equal(await card.count(), 1);
	await shot('public');
	const href = await card.locator('.evidence a').first().getAttribute('href');
	const r = await fetch(base + href);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'application/pdf');
});
