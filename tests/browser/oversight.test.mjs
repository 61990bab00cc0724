// Browser test of oversight/ on a phone (390x844): the People's
// Inspection Board (bantt) records a supervision with a photo of its
// minutes, a finding and a recommendation; the recommendation's remedial
// task appears in the plan; the unit head (truongbp) reports it done from
// the task page; the Board verifies it fixed (refused before, on the
// page); the Front (mttq) reads the supervisor view. Screenshots go to
// artifacts/screenshots/oversight-*.png.
// Run: node --test (QUANTRI_BIN names the binary; default build/quantri).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BIN = process.env.QUANTRI_BIN || path.join(ROOT, 'build/quantri');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'artifacts/screenshots');
const PHOTO = path.join(ROOT, 'tests/fixtures/files/photo.jpg');
const PASSWORD = 'demo2026';
const PHONE = { width: 390, height: 844 };
// Unique words, so the lists find this supervision among the demo's.
const TITLE = 'Giám sát việc cấp giấy khai sinh tại Bộ phận Một cửa';
const FINDING = 'Sổ đăng ký khai sinh năm 2026 thiếu chữ ký của người đi đăng ký ở 4 trang.';
const REC = 'Mời người đi đăng ký bổ sung chữ ký vào sổ khai sinh';

let dir, db, env, port, server, serverLog, base, context, page;
let inspectionUrl, taskUrl;

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

async function waitHealthy(url, ms) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (server.exitCode !== null)
			throw new Error(`quantri serve exited with ${server.exitCode}:\n` +
				fs.readFileSync(serverLog, 'utf8'));
		try {
			const r = await fetch(url + '/healthz');
			if (r.status === 200) return;
		} catch { /* not listening yet */ }
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('no 200 on /healthz in ' + ms + ' ms');
}

// A phone screenshot; nothing may scroll sideways.
async function shot(name) {
	await page.screenshot({ path: path.join(SHOTS, `oversight-${name}-${PHONE.width}.png`), fullPage: true });
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= PHONE.width,
		`${name}: page is ${width} px wide at ${PHONE.width} px (horizontal overflow)`);
}

async function login(username) {
	await context.clearCookies();
	await page.goto(base + '/login');
	await page.fill('input[name="username"]', username);
	await page.fill('input[name="password"]', PASSWORD);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/login')),
		page.locator('form:has(input[name="password"]) [type="submit"]').click(),
	]);
}

// Clicks a submit button and waits for the page it leads to.
async function submit(locator) {
	await Promise.all([page.waitForNavigation(), locator.click()]);
}

before(async () => {
	fs.mkdirSync(SHOTS, { recursive: true });
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantri-oversight-browser-'));
	db = path.join(dir, 'demo.db');
	env = { ...process.env, QUANTRI_SECRET_FILE: path.join(dir, 'secret.key'), QUANTRI_DEMO_ROUND: '0', QUANTRI_NOW: '2026-11-27T03:00:00Z' };
	execFileSync(BIN, ['--db', db, 'init', '--demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
	port = await freePort();
	base = `http://127.0.0.1:${port}`;
	serverLog = path.join(dir, 'server.log');
	const log = fs.openSync(serverLog, 'a');
	server = spawn(BIN, ['--db', db, 'serve', '--port', String(port), '--listen', '127.0.0.1'],
		{ env, stdio: ['ignore', log, log] });
	await waitHealthy(base, 10000);
	context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
		viewport: PHONE,
		isMobile: true,
		hasTouch: true,
		locale: 'vi-VN',
	});
	page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(15000);
});

after(async () => {
	if (context) await context.close();
	if (server && server.exitCode === null) {
		const exited = new Promise((r) => server.once('exit', r));
		server.kill('SIGTERM');
		await exited;
	}
	if (dir && !process.env.QUANTRI_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
});


test('the Board records a supervision with its minutes as a photo', async () => {
	await login('bantt');
	const r = await page.goto(base + '/oversight');
	assert.equal(r.status(), 200);
	await shot('list');
	await page.goto(base + '/oversight/new');
	await page.selectOption('#kind', 'people_board');
	await page.fill('#title', TITLE);
	await page.fill('#reference', 'Chương trình giám sát năm 2026 của Ban Thanh tra nhân dân');
	await page.fill('#team', 'Bùi Văn Tâm – Trưởng ban\nNguyễn Thị Mai – thành viên');
	await page.fill('#scope', 'Việc tiếp nhận, giải quyết hồ sơ khai sinh tháng 10 và 11/2026.');
	await page.fill('#from_on', '16/11/2026');
	await page.fill('#to_on', '20/11/2026');
	await page.selectOption('#unit_id', { label: 'Tư pháp – Hộ tịch' });
	await page.check('label:has-text("Thôn 2") >> xpath=preceding-sibling::input');
	await page.locator('fieldset.links summary', { hasText: 'D5.' }).click();
	await page.check('#l_D5');
	await page.setInputFiles('#files', PHOTO);
	await shot('new');
	await submit(page.locator('form.ov-form button[type="submit"]'));
	inspectionUrl = page.url();
	assert.match(new URL(inspectionUrl).pathname, /^\/oversight\/\d+$/);
	const main = await page.textContent('main');
	assert.ok(main.includes(TITLE));
	assert.ok(main.includes('Thôn 2'));
	assert.ok(main.includes('D5.'), 'the PAPI link is shown');
	assert.equal(await page.locator('.evidence img').count(), 1, 'the photo is on the record');
	await shot('recorded');
});

test('a finding and a recommendation make a remedial task in the plan', async () => {
	await page.fill('#finding-text', FINDING);
	await page.locator('#new-finding fieldset.links summary', { hasText: 'D5.' }).click();
	await page.check('#f_D5');
	await submit(page.locator('#new-finding button[type="submit"]'));
	assert.ok((await page.textContent('main')).includes(FINDING));
	await page.locator('details.ov-add summary').last().click();
	const form = page.locator('details.ov-add form').last();
	await form.locator('textarea[name="text"]').fill(REC);
	await form.locator('select[name="unit_id"]').selectOption({ label: 'Tư pháp – Hộ tịch' });
	await form.locator('input[name="due_on"]').fill('15/12/2026');
	await shot('recommend');
	await submit(form.locator('button[type="submit"]'));
	const rec = page.locator('li.ov-rec', { hasText: REC });
	assert.match(await rec.textContent(), /Chưa khắc phục/);
	taskUrl = base + await rec.locator('a[href^="/plan/tasks/"]').getAttribute('href');
	await shot('open');
	// the task is in the 2026 plan, led by Tư pháp
	await page.goto(taskUrl);
	const task = await page.textContent('main');
	assert.ok(task.includes('Khắc phục: ' + REC), task);
	assert.ok(task.includes('Tư pháp – Hộ tịch'));
	assert.ok(task.includes('15/12/2026'));
	// verifying before the unit reports: refused, said on the page
	await page.goto(inspectionUrl);
	assert.equal(await page.locator('li.ov-rec', { hasText: REC }).locator('form[action$="/verify"]').count(), 0,
		'no verify form while the task is open');
	const resp = await page.request.post(base + (await page.locator('li.ov-rec', { hasText: REC }).getAttribute('id')).replace('rec-', '/api/oversight/recommendations/') + '/verify',
		{ headers: { 'X-CSRF-Token': await page.inputValue('input[name="csrf_token"] >> nth=0') }, data: { verified_on: '27/11/2026' } });
	assert.equal(resp.status(), 422);
	assert.match(await resp.text(), /chưa hoàn thành/);
});

test('the unit head reports the task done from the phone', async () => {
	await login('truongbp');
	await page.goto(taskUrl);
	await page.selectOption('#status', 'done');
	await page.fill('#note', 'Đã mời 4 người đi đăng ký bổ sung chữ ký; sổ đã đủ.');
	await shot('unit-report');
	await submit(page.locator('form.report-form button[type="submit"]'));
	assert.match(await page.textContent('main'), /Hoàn thành/);
	await shot('unit-done');
});

test('the Board verifies the fix', async () => {
	await login('bantt');
	await page.goto(inspectionUrl);
	const rec = page.locator('li.ov-rec', { hasText: REC });
	assert.match(await rec.textContent(), /Đã khắc phục, chờ xác nhận/);
	await rec.locator('textarea[name="note"]').first().fill('Đã kiểm tra sổ: đủ chữ ký ở cả 4 trang.');
	await shot('verify');
	await submit(rec.locator('form[action$="/verify"] button[type="submit"]'));
	const done = page.locator('li.ov-rec', { hasText: REC });
	assert.match(await done.textContent(), /Đã xác nhận khắc phục/);
	assert.match(await done.textContent(), /27\/11\/2026/);
	await shot('verified');
	await page.goto(base + '/oversight/recommendations?state=verified&q=' + encodeURIComponent('chu ky vao so khai sinh'));
	assert.equal(await page.locator('li.ov-card').count(), 1);
	await shot('recommendations');
});

test('the Front reads the supervisor view', async () => {
	await login('mttq');
	const r = await page.goto(base + '/oversight/supervise');
	assert.equal(r.status(), 200);
	assert.ok((await page.textContent('main')).includes('Theo đơn vị phải khắc phục'));
	await shot('supervise');
	const inspection = await page.goto(inspectionUrl);
	assert.equal(inspection.status(), 200);
	assert.equal(await page.locator('form[action$="/verify"]').count(), 0, 'the Front does not verify the Board\'s');
});
