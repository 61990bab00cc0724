// What the phone-sized browser walks share: a demo database made by
// `quantri init --demo`, a real `quantri serve` on a free port, Debian's
// chromium at 390x844 (touch, vi-VN), screenshots that must not scroll
// sideways, logging in, submitting a form. quantri.test.mjs (phone and
// desktop, every role) keeps its own.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.QUANTRI_BIN || path.join(ROOT, 'build/quantri');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'artifacts/screenshots');
export const PHOTO = path.join(ROOT, 'tests/fixtures/files/photo.jpg');
export const PASSWORD = 'demo2026';
export const PHONE = { width: 390, height: 844 };

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

// name: the capability, for the temporary directory and the screenshots'
// names (artifacts/screenshots/<name>-<shot>-390.png); extraEnv: e.g. the
// clock (QUANTRI_NOW).
export async function openPhone(name, extraEnv = {}) {
	fs.mkdirSync(SHOTS, { recursive: true });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `quantri-${name}-browser-`));
	const db = path.join(dir, 'demo.db');
	const env = { ...process.env, QUANTRI_SECRET_FILE: path.join(dir, 'secret.key'),
		QUANTRI_DEMO_ROUND: '0', ...extraEnv };
	execFileSync(BIN, ['--db', db, 'init', '--demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const serverLog = path.join(dir, 'server.log');
	const log = fs.openSync(serverLog, 'a');
	const server = spawn(BIN, ['--db', db, 'serve', '--port', String(port), '--listen', '127.0.0.1'],
		{ env, stdio: ['ignore', log, log] });
	const deadline = Date.now() + 10000;
	for (;;) {
		if (server.exitCode !== null)
			throw new Error(`quantri serve exited with ${server.exitCode}:\n` +
				fs.readFileSync(serverLog, 'utf8'));
		try {
			if ((await fetch(base + '/healthz')).status === 200) break;
		} catch { /* not listening yet */ }
		if (Date.now() > deadline) throw new Error('no 200 on /healthz in 10000 ms');
		await new Promise((r) => setTimeout(r, 50));
	}
	const context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
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
	const page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(15000);
	return {
		dir, db, env, base, server, context, page,
		// A phone screenshot; nothing may scroll sideways.
		async shot(shotName) {
			await page.screenshot({ path: path.join(SHOTS, `${name}-${shotName}-${PHONE.width}.png`), fullPage: true });
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(width <= PHONE.width,
				`${shotName}: page is ${width} px wide at ${PHONE.width} px (horizontal overflow)`);
		},
		async login(username) {
			await context.clearCookies();
			await page.goto(base + '/login');
			await page.fill('input[name="username"]', username);
			await page.fill('input[name="password"]', PASSWORD);
			await Promise.all([
				page.waitForURL((u) => !u.pathname.startsWith('/login')),
				page.locator('form:has(input[name="password"]) [type="submit"]').click(),
			]);
		},
		// Clicks a submit button and waits for the page it leads to.
		async submit(locator) {
			await Promise.all([page.waitForNavigation(), locator.click()]);
		},
		async close() {
			await context.close();
			if (server.exitCode === null) {
				const exited = new Promise((r) => server.once('exit', r));
				server.kill('SIGTERM');
				await exited;
			}
			if (!process.env.QUANTRI_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
