// Browser test of voice/ on a phone (390x844): a citizen sends feedback
// with a photo from /citizen/submit and keeps the code and secret; the
// office (vanphong) accepts it and gives it to Tư pháp; the unit head
// (truongbp) drafts the answer from a template; the chair (chutich) sends
// it back once with a note, then approves the corrected one; the citizen
// follows the case, reads the answer and rates it. Screenshots go to
// artifacts/screenshots/voice-*.png like the other browser test's.
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
// Unique words, so the lists find this case among the demo's.
const TITLE = 'Cột điện nghiêng trước nhà văn hóa Thôn 4';
const BODY = 'Cột điện trước nhà văn hóa Thôn 4 bị nghiêng sau bão, dây võng thấp, trẻ em đi học qua rất nguy hiểm.';

let dir, db, env, port, server, serverLog, base, context, page;
let code, secret, caseUrl;

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
	await page.screenshot({ path: path.join(SHOTS, `voice-${name}-${PHONE.width}.png`), fullPage: true });
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
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantri-voice-browser-'));
	db = path.join(dir, 'demo.db');
	env = { ...process.env, QUANTRI_SECRET_FILE: path.join(dir, 'secret.key'), QUANTRI_DEMO_ROUND: '0' };
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

test('a citizen sends feedback with a photo and gets a code and a secret', async () => {
	await context.clearCookies();
	const r = await page.goto(base + '/citizen/submit');
	assert.equal(r.status(), 200);
	await page.check('#t_feedback');
	await page.selectOption('#topic_id', { label: 'Đường sá, điện, nước sạch' });
	await page.selectOption('#village_id', { label: 'Thôn 4' });
	await page.fill('#title', TITLE);
	await page.fill('#body', BODY);
	await page.setInputFiles('#files', PHOTO);
	await page.fill('#citizen_name', 'Nguyễn Văn Công');
	await page.fill('#citizen_phone', '0912345678');
	await shot('citizen-submit');
	await submit(page.locator('form.citizen-form button[type="submit"]'));
	code = (await page.textContent('#receipt-code')).trim();
	secret = (await page.textContent('#receipt-secret')).trim();
	assert.match(code, /^PA[0-9A-Z]{8}$/);
	assert.match(secret, /^[0-9A-Z]{10}$/);
	await shot('citizen-receipt');
});

test('the office accepts the case and gives it to Tư pháp', async () => {
	await login('vanphong');
	await page.goto(base + '/voice?q=' + encodeURIComponent('cot dien nghieng'));
	await shot('office-list');
	await submit(page.getByRole('link', { name: TITLE }));
	caseUrl = page.url();
	assert.match(new URL(caseUrl).pathname, /^\/voice\/\d+$/);
	const body = await page.textContent('main');
	assert.ok(body.includes(code), 'the case page shows its code');
	assert.ok(body.includes('Nguyễn Văn Công'), 'a feedback shows who sent it');
	assert.equal(await page.locator('.evidence img').count(), 1, 'the photo is on the case');
	await shot('office-case');
	await submit(page.locator('form:has(input[name="kind"][value="accept"]) button[type="submit"]'));
	assert.match(await page.textContent('.case-status'), /Đã thụ lý/);
	await page.selectOption('#as-unit', { label: 'Tư pháp – Hộ tịch' });
	await submit(page.locator('form:has(input[name="kind"][value="assign"]) button[type="submit"]'));
	assert.match(await page.textContent('.case-status'), /Đã giao xử lý/);
	assert.match(await page.textContent('main'), /Tư pháp – Hộ tịch/);
	await shot('office-assigned');
});

test('the unit head drafts the answer from a template and submits it', async () => {
	await login('truongbp');
	await page.goto(base + '/voice');
	await shot('head-list');
	await submit(page.getByRole('link', { name: TITLE }));
	await page.selectOption('#template', { label: 'Trả lời chung' });
	await submit(page.getByRole('button', { name: 'Dùng mẫu' }));
	const draft = await page.inputValue('#answer-body');
	assert.ok(draft.startsWith('UBND xã đã nhận được'), `template not used: ${draft}`);
	assert.ok(draft.includes(TITLE), 'the placeholder {noi_dung} is filled');
	assert.ok(!draft.includes('{'), 'no placeholder left');
	await page.fill('#answer-body', draft.replace('...', 'Điện lực đã dựng lại cột điện.'));
	await shot('head-draft');
	await submit(page.getByRole('button', { name: 'Trình lãnh đạo duyệt' }));
	assert.match(await page.textContent('main'), /Đang chờ duyệt/);
});

test('the chair sends it back once with a note', async () => {
	await login('chutich');
	await page.goto(caseUrl);
	assert.match(await page.textContent('.answer-pending'), /Điện lực đã dựng lại cột điện/);
	await page.fill('#review-note', 'Ghi rõ ngày dựng lại cột và số điện thoại đường dây nóng của Điện lực.');
	await shot('chair-review');
	await submit(page.getByRole('button', { name: 'Trả lại để sửa' }));
	assert.match(await page.textContent('main'), /Bị trả lại/);
});

test('the unit head corrects it; the chair approves', async () => {
	await login('truongbp');
	await page.goto(caseUrl);
	assert.match(await page.textContent('.returned-note'), /Ghi rõ ngày dựng lại cột/);
	await shot('head-returned');
	await page.fill('#answer-body', 'UBND xã đã nhận được phản ánh của ông/bà. Ngày 26/11/2026, Điện lực đã dựng lại cột điện trước nhà văn hóa Thôn 4 và căng lại dây. Đường dây nóng của Điện lực: 1900 1288.');
	await submit(page.getByRole('button', { name: 'Trình lãnh đạo duyệt' }));
	await login('chutich');
	await page.goto(caseUrl);
	await submit(page.getByRole('button', { name: 'Duyệt câu trả lời' }));
	assert.match(await page.textContent('.case-status'), /Đã trả lời/);
	await shot('chair-approved');
});

test('the citizen follows the case, reads the answer and rates it', async () => {
	await context.clearCookies();
	await page.goto(base + '/citizen/track');
	await page.fill('#code', code);
	await page.fill('#secret', secret);
	await submit(page.locator('form.citizen-form button[type="submit"]'));
	const body = await page.textContent('main');
	assert.ok(body.includes('Đường dây nóng của Điện lực: 1900 1288'), 'the approved answer is shown');
	assert.ok(!body.includes('Điện lực đã dựng lại cột điện.'), 'the returned draft is not');
	await shot('citizen-answer');
	await page.check('#r_s');
	await submit(page.getByRole('button', { name: 'Gửi đánh giá' }));
	assert.match(await page.textContent('main'), /Hài lòng/);
	await shot('citizen-rated');
	// the office sees the rating on the case
	await login('vanphong');
	await page.goto(caseUrl);
	assert.match(await page.textContent('main'), /Người dân đánh giá\s*Hài lòng/);
});

test('the reception schedule and the statistics fit a phone', async () => {
	await login('vanphong');
	for (const [name, p] of [['reception', '/voice/reception'], ['stats', '/voice/stats'],
		['new', '/voice/new']]) {
		const r = await page.goto(base + p);
		assert.equal(r.status(), 200, `${p}: ${r.status()}`);
		await shot(name);
	}
	await context.clearCookies();
	const r = await page.goto(base + '/citizen/reception');
	assert.equal(r.status(), 200);
	await shot('citizen-reception');
});
