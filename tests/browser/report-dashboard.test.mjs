// Browser test of the dashboards (report/): the chair (chutich) opens the
// commune's dashboard on a phone (390x844) and on a desktop (1280x900):
// the radar, the PAPI table, the figures; a figure's link opens its list
// with the same count; the province user (tinh) opens the province view,
// sorts it, picks a dimension for the tier map and drills down to the
// commune. The demo keeps its survey round (QUANTRI_DEMO_ROUND=1) so the
// PAPI part has an estimate. Screenshots: artifacts/screenshots/
// report-dashboard-*.png.
// Run: node --test (QUANTRI_BIN names the binary; default build/quantri).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPhone, PHONE, SHOTS } from './phone.mjs';

const DESKTOP = { width: 1280, height: 900 };
let phone, base, page;

before(async () => {
	phone = await openPhone('report-dashboard', {
		QUANTRI_NOW: '2026-11-27T03:00:00Z', QUANTRI_DEMO_ROUND: '1' });
	({ base, page } = phone);
});

after(async () => {
	if (phone) await phone.close();
});

async function desktopShot(name) {
	await page.setViewportSize(DESKTOP);
	await page.screenshot({ path: path.join(SHOTS, `report-dashboard-${name}-${DESKTOP.width}.png`),
		fullPage: true });
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= DESKTOP.width, `${name}: ${width} px wide at ${DESKTOP.width} px`);
	await page.setViewportSize(PHONE);
}

// The big number of the figure whose label holds `label`.
async function figure(label) {
	const li = page.locator('.dash-stats li', { hasText: label }).first();
	return Number((await li.locator('.dash-n').textContent()).replace(/\./g, ''));
}

test('the chair sees the dashboard on a phone and a desktop', async () => {
	await phone.login('chutich');
	const r = await page.goto(base + '/report/dashboard');
	assert.equal(r.status(), 200);
	const main = await page.textContent('main');
	assert.ok(main.includes('Bảng điều hành – Tiên Tiến'));
	assert.ok(main.includes('01/01/2026 – 27/11/2026'), 'the period is shown');
	assert.equal(await page.locator('svg.report-radar').count(), 1, 'the radar is drawn');
	assert.equal(await page.locator('table.dash-papi-table tbody tr').count(), 9, 'D1..D8 and the total');
	for (const h of ['Thực hiện kế hoạch', 'Tiếp nhận, giải quyết', 'Công khai', 'Tuyên truyền', 'Kiểm tra, giám sát'])
		assert.ok(main.includes(h), h);
	// the radar fits the phone
	const box = await page.locator('svg.report-radar').boundingBox();
	assert.ok(box.width <= PHONE.width, `radar ${box.width} px`);
	await phone.shot('chair');
	await desktopShot('chair');
});

test('a figure links to the list that shows as many rows', async () => {
	await page.goto(base + '/report/dashboard');
	const overdue = await figure('quá hạn, chưa xong');
	await Promise.all([page.waitForNavigation(),
		page.locator('.dash-stats li', { hasText: 'quá hạn, chưa xong' }).locator('a').click()]);
	assert.equal(new URL(page.url()).pathname, '/plan/overdue');
	const api = await page.evaluate(async (u) => (await fetch(u)).json(),
		'/api' + new URL(page.url()).pathname + new URL(page.url()).search);
	assert.equal(api.total, overdue, 'overdue tasks: figure = list');

	await page.goto(base + '/report/dashboard');
	const received = await figure('tiếp nhận trong kỳ');
	await Promise.all([page.waitForNavigation(),
		page.locator('.dash-stats li', { hasText: 'tiếp nhận trong kỳ' }).locator('a').click()]);
	assert.equal(new URL(page.url()).pathname, '/voice');
	const cases = await page.evaluate(async (u) => (await fetch(u)).json(),
		'/api' + new URL(page.url()).pathname + new URL(page.url()).search);
	assert.equal(cases.total, received, 'cases received: figure = list');
});

test('the province user sorts the communes and drills down', async () => {
	await phone.login('tinh');
	await page.goto(base + '/report/dashboard');
	assert.equal(new URL(page.url()).pathname, '/report/province', 'the upper level starts at the province');
	const main = await page.textContent('main');
	assert.ok(main.includes('Tổng hợp các xã năm 2026'));
	assert.ok(main.includes('không phải bản đồ địa lý'), 'the tier map says what it is');
	await phone.shot('province');
	await desktopShot('province');
	// sort by D3, highest first: the scored commune comes first
	await page.goto(base + '/report/province?sort=D3&dir=desc');
	const first = await page.locator('table.dash-province tbody tr').first().locator('th').textContent();
	assert.ok(first.includes('Tiên Tiến'), `first row after sorting by D3: ${first}`);
	// the tier map of D5
	await page.locator('.dash-dims a', { hasText: 'D5' }).click();
	await page.waitForURL(/dim=D5/);
	assert.ok((await page.textContent('#prov-map-h')).includes('D5'));
	// drill down
	await Promise.all([page.waitForNavigation(),
		page.locator('.dash-tiles a', { hasText: 'Tiên Tiến' }).first().click()]);
	assert.equal(new URL(page.url()).pathname, '/report/dashboard');
	assert.ok((await page.textContent('h1')).includes('Tiên Tiến'));
	assert.ok((await page.textContent('main')).includes('Tổng hợp các xã'), 'a way back');
	await phone.shot('drill-down');
});
