// Browser test of disclosure/ on a phone (390x844): the office (vanphong)
// records the poor-household list with a photo of the notice board
// taken from the phone, the register shows it with its period and no
// problem, the chair approves it for the public page, and a citizen
// without login reads it on /citizen/disclosures and opens its document. Screenshots: artifacts/screenshots/disclosure-*.png.
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

let dir, db, env, port, server, serverLog, base, context, page;

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
	await page.screenshot({ path: path.join(SHOTS, `disclosure-${name}-${PHONE.width}.png`), fullPage: true });
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
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantri-disclosure-browser-'));
	db = path.join(dir, 'demo.db');
	env = { ...process.env, QUANTRI_SECRET_FILE: path.join(dir, 'secret.key'), QUANTRI_DEMO_ROUND: '0', QUANTRI_NOW: '2026-11-27T02:00:00Z' };
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
