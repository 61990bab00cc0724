// Browser test of the periodic reports on a phone (390x844): the office
// (vanphong) builds a quarterly draft from the form, reads it as a page,
// downloads its PDF, issues it with the next number; a wrong period is
// refused on the page; the settings page keeps the cut-off day; the Front
// (mttq) reads the issued report but not a draft. Screenshots go to
// artifacts/screenshots/report-*.png (phone.mjs's shot also checks that
// no page scrolls sideways).
// Run: node --test (QUANTRI_BIN names the binary; default build/quantri).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPhone } from './phone.mjs';

let phone, base, page;
let reportUrl;

const shot = (name) => phone.shot(name);
const login = (username) => phone.login(username);
const submit = (locator) => phone.submit(locator);

before(async () => {
	phone = await openPhone('report', { QUANTRI_NOW: '2026-11-27T03:00:00Z' });
	({ base, page } = phone);
});

after(async () => {
	if (phone) await phone.close();
});

test('the office builds a quarterly draft and reads it as a page', async () => {
	await login('vanphong');
	const r = await page.goto(base + '/report');
	assert.equal(r.status(), 200);
	await shot('list');
	await page.locator('details.report-new summary').click();
	await page.selectOption('#kind', 'quarterly');
	await page.fill('#year', '2026');
	await page.fill('#no', '5');
	await submit(page.locator('details.report-new button[type="submit"]'));
	// a fifth quarter: refused, said beside the field
	assert.match(await page.textContent('main'), /Quý phải từ 1 đến 4/);
	await shot('refused');
	await page.fill('#no', '4');
	await submit(page.locator('details.report-new button[type="submit"]'));
	reportUrl = page.url();
	assert.match(new URL(reportUrl).pathname, /^\/report\/\d+$/);
	const main = await page.textContent('main');
	assert.match(main, /Dự thảo/);
	assert.match(main, /quý IV năm 2026/);
	assert.match(main, /15\/09\/2026/, 'the period cut off on the 14th');
	assert.match(main, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
	assert.match(main, /Độc lập - Tự do - Hạnh phúc/);
	assert.match(main, /Nơi nhận:/);
	await shot('draft');
});

test('the PDF downloads and the draft is issued with the next number', async () => {
	const pdf = await page.request.get(reportUrl + '/pdf');
	assert.equal(pdf.status(), 200);
	assert.equal(pdf.headers()['content-type'], 'application/pdf');
	const bytes = await pdf.body();
	assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
	await page.goto(reportUrl);
	await submit(page.locator('form[action$="/issue"] button[type="submit"]'));
	const main = await page.textContent('main');
	// the demo issued last quarter's as 01/BC-UBND
	assert.match(main, /Số 02\/BC-UBND/);
	assert.equal(await page.locator('form[action$="/issue"]').count(), 0, 'an issued report has no actions');
	await page.locator('.report-doc').scrollIntoViewIfNeeded();
	await shot('issued');
});

test('the settings keep the cut-off day; a wrong one is refused', async () => {
	await page.goto(base + '/report/settings');
	await page.fill('#cutoff_day', '31');
	await submit(page.locator('form[action="/report/settings"] button[type="submit"]'));
	assert.match(await page.textContent('main'), /Ngày chốt số liệu phải từ 0/);
	await page.fill('#cutoff_day', '0');
	await submit(page.locator('form[action="/report/settings"] button[type="submit"]'));
	assert.match(await page.textContent('main'), /Đã lưu cài đặt báo cáo/);
	assert.equal(await page.inputValue('#cutoff_day'), '0');
	await shot('settings');
});

test('the Front reads the issued report, not a draft', async () => {
	await login('mttq');
	const r = await page.goto(reportUrl);
	assert.equal(r.status(), 200);
	await page.goto(base + '/report');
	const list = await page.textContent('main');
	assert.doesNotMatch(list, /Dự thảo/);
	assert.match(list, /02\/BC-UBND/);
	await shot('front');
});
