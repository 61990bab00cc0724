// Browser tests: playwright-core drives Debian's chromium (/usr/bin/chromium)
// against a real `quantri serve` on a fresh demo database. Each demo role
// logs in, sees its own home page and menu, and logs out; screenshots at
// phone (360x800) and desktop (1366x768) sizes go to artifacts/screenshots/.
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
const PASSWORD = 'demo2026';
const PHONE = { width: 360, height: 800 };
const DESKTOP = { width: 1366, height: 768 };

// One demo login per role (people/demo.c).
const LOGINS = [
	['chutich', 'chair'],
	['phochutich', 'vice_chair'],
	['vanphong', 'office'],
	['truongbp', 'unit_head'],
	['canbo', 'officer'],
	['mttq', 'front'],
	['bantt', 'inspection'],
	['truongthon', 'village_head'],
	['dieutra', 'surveyor'],
	['tinh', 'upper'],
];

let dir, db, env, port, server, serverLog, base, context, page, routes;

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
	throw new Error('no 200 on /healthz in ' + ms + ' ms:\n' +
		fs.readFileSync(serverLog, 'utf8'));
}

async function shot(name, size) {
	await page.setViewportSize(size);
	await page.screenshot({ path: path.join(SHOTS, `${name}-${size.width}.png`), fullPage: true });
}

// Phone and desktop screenshots; at 360 px nothing may scroll sideways.
async function shootBoth(name) {
	await shot(name, PHONE);
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= PHONE.width,
		`${name}: page is ${width} px wide at ${PHONE.width} px (horizontal overflow)`);
	await shot(name, DESKTOP);
}

async function login(username) {
	await context.clearCookies();
	const r = await page.goto(base + '/login');
	assert.equal(r.status(), 200);
	await page.fill('input[name="username"]', username);
	await page.fill('input[name="password"]', PASSWORD);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/login')),
		page.locator('form:has(input[name="password"]) [type="submit"]').click(),
	]);
}

async function logout() {
	await Promise.all([
		page.waitForURL((u) => u.pathname.startsWith('/login')),
		page.locator('form[action="/logout"] [type="submit"]').first().click(),
	]);
	// The session is gone: the home page sends us to the login page again.
	await page.goto(base + '/');
	assert.match(new URL(page.url()).pathname, /^\/login/);
}

// The first GET route without placeholders whose pattern matches re.
function routeLike(re) {
	const r = routes.find((x) => x.method === 'GET' && !x.pattern.includes('{') &&
		re.test(x.pattern));
	assert.ok(r, `no GET route matches ${re}`);
	return r.pattern;
}

// (Re)starts `quantri serve` on the same database and port; extra is added
// to its environment (QUANTRI_NOW moves its clock).
async function startServer(extra) {
	if (server && server.exitCode === null) {
		const exited = new Promise((r) => server.once('exit', r));
		server.kill('SIGTERM');
		await exited;
	}
	const log = fs.openSync(serverLog, 'a');
	server = spawn(BIN, ['--db', db, 'serve', '--port', String(port), '--listen', '127.0.0.1'],
		{ env: { ...env, ...extra }, stdio: ['ignore', log, log] });
	await waitHealthy(base, 10000);
}

before(async () => {
	fs.mkdirSync(SHOTS, { recursive: true });
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantri-browser-'));
	db = path.join(dir, 'demo.db');
	env = { ...process.env, QUANTRI_SECRET_FILE: path.join(dir, 'secret.key') };
	execFileSync(BIN, ['--db', db, 'init', '--demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
	routes = JSON.parse(execFileSync(BIN, ['--db', db, 'routes', '--json'], { env }).toString());
	port = await freePort();
	base = `http://127.0.0.1:${port}`;
	serverLog = path.join(dir, 'server.log');
	await startServer({});

	context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
		viewport: DESKTOP,
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

test('login page is Vietnamese and fits a phone', async () => {
	await context.clearCookies();
	const r = await page.goto(base + '/login');
	assert.equal(r.status(), 200);
	assert.equal(await page.getAttribute('html', 'lang'), 'vi');
	assert.match(await page.textContent('body'), /Đăng nhập/);
	await shootBoth('login');
});

test('a wrong password keeps the user out with a Vietnamese message', async () => {
	await context.clearCookies();
	await page.goto(base + '/login');
	await page.fill('input[name="username"]', 'chutich');
	await page.fill('input[name="password"]', 'not-the-password');
	await page.locator('form:has(input[name="password"]) [type="submit"]').click();
	await page.waitForLoadState();
	assert.match(new URL(page.url()).pathname, /^\/login/);
	assert.match(await page.textContent('body'), /sai|không đúng/i);
});

for (const [username, role] of LOGINS) {
	test(`${role} (${username}) logs in, sees the home page and menu, logs out`, async () => {
		await login(username);
		assert.equal(new URL(page.url()).pathname, '/');
		// The account's JSON twin says who is logged in, with what roles.
		const api = await page.request.get(base + '/api/account');
		assert.equal(api.status(), 200);
		const user = (await api.json()).me;
		assert.ok(user && user.username === username, `api user: ${JSON.stringify(user)}`);
		assert.ok(user.roles.some((r) => r.role === role),
			`${username} lacks role ${role}: ${JSON.stringify(user.roles)}`);
		const body = await page.textContent('body');
		assert.ok(body.includes(user.full_name), `home page lacks "${user.full_name}"`);
		const nav = await page.textContent('nav');
		assert.match(nav, /Trang chủ/);
		assert.match(nav, /Kế hoạch/);
		await shootBoth(`home-${username}`);
		await logout();
	});
}

test('administration pages render for the chair at both sizes', async () => {
	await login('chutich');
	const pages = [
		['users', routeLike(/users$/)],
		['units', routeLike(/units$/)],
		['audit', routeLike(/audit$/)],
		['calendar', routeLike(/calendar$/)],
	];
	for (const [name, p] of pages) {
		const r = await page.goto(base + p);
		assert.equal(r.status(), 200, `${p}: status ${r.status()}`);
		assert.equal(await page.getAttribute('html', 'lang'), 'vi');
		await shootBoth(name);
	}
	await logout();
});

// The PAPI index, as the chair walks it: the index home, the official
// results and a province, the demo round (its villages' progress from the
// interviews linked to drawn people), its results, a dimension, the weakest
// indicators. Wide tables scroll inside their box: the document must not.
async function visit(name, p) {
	const r = await page.goto(base + p);
	assert.equal(r.status(), 200, `${p}: status ${r.status()}`);
	assert.equal(await page.getAttribute('html', 'lang'), 'vi');
	await shootBoth(name);
}

async function href(selector, text) {
	const link = text ? page.locator(selector, { hasText: text }).first()
		: page.locator(selector).first();
	const h = await link.getAttribute('href');
	assert.ok(h, `no link ${selector} ${text || ''} on ${page.url()}`);
	return h;
}

test('the chair walks the PAPI index at both sizes', async () => {
	await login('chutich');
	await visit('index-home', '/index');
	await visit('index-official', await href('a[href^="/index/official"]:not([href*="import"])'));
	assert.match(await page.textContent('main'), /Hưng Yên/);
	await visit('index-province', await href('a[href^="/index/official/"]', 'Hưng Yên'));
	assert.match(await page.textContent('h1'), /Hưng Yên/);
	assert.ok(await page.locator('svg').count() > 0, 'the province page has no radar chart');

	await page.goto(base + '/index/rounds');
	const round = await href('a[href^="/index/rounds/"]', 'dữ liệu mẫu');
	// the demo round's interviews are its drawn people's: 72 of the quota
	await visit('index-round', round);
	assert.match(await page.textContent('main'), /phỏng vấn 72 /);
	await visit('index-results', round + '/results');
	assert.match(await page.textContent('main'), /Thôn/);
	const dim = await href(`a[href^="${round}/results/"]:not([href$="weakest"]):not([href$="trends"])`);
	await visit('index-dimension', dim);
	await visit('index-weakest', round + '/results/weakest');
	await logout();
});

// The surveyor on a phone: starts an interview of a drawn person, answers
// the first screen, "Tiếp", reloads, and finds the draft on the server.
test('the surveyor keeps a draft interview on a phone', async () => {
	await page.setViewportSize(PHONE);
	await login('dieutra');
	await page.goto(base + '/index/rounds');
	const round = (await href('a[href^="/index/rounds/"]', 'dữ liệu mẫu')).split('/').pop();
	const r = await page.goto(`${base}/index/interviews?round=${round}`);
	assert.equal(r.status(), 200);
	const person = page.locator('#person option:not([value=""])').first();
	assert.match(await person.textContent(), /Thôn 2/);
	await page.selectOption('#person', await person.getAttribute('value'));
	await shot('interview-start', PHONE);
	await Promise.all([
		page.waitForURL(/\/index\/interviews\/\d+/),
		page.locator('button', { hasText: 'Bắt đầu phỏng vấn' }).click(),
	]);
	const form = new URL(page.url()).pathname;
	assert.match(await page.textContent('h1.iv-title'), /^1\//);

	// every question shown: its first answer (or the lowest number)
	const answers = {};
	const qs = page.locator('fieldset.iv-q:not(.iv-skipped):not(.iv-hidden)');
	for (let i = 0; i < await qs.count(); i++) {
		const q = qs.nth(i);
		const code = await q.getAttribute('data-code');
		if (!await q.isVisible()) continue;
		const radio = q.locator('.iv-options:not(.iv-missing) input[type="radio"]').first();
		if (await radio.count()) {
			await radio.check();
			answers[code] = await radio.getAttribute('value');
		} else {
			const num = q.locator('input[type="text"]');
			await num.fill('1');
			answers[code] = '1';
		}
	}
	assert.ok(Object.keys(answers).length > 0, 'no question on the first screen');
	await shootBoth('interview-screen1');
	await Promise.all([
		page.waitForURL(/screen=1/),
		page.locator('button[value="next"]').click(),
	]);
	assert.match(await page.textContent('h1.iv-title'), /^2\//);

	// the phone's own copy gone, a reload: the server kept the draft
	await page.evaluate(() => localStorage.clear());
	await page.reload();
	assert.match(await page.textContent('h1.iv-title'), /^2\//);
	await page.goto(`${base}${form}?screen=0`);
	for (const [code, v] of Object.entries(answers)) {
		const el = page.locator(`#q-${code} input[name="q_${code}"]`);
		if (await el.first().getAttribute('type') === 'radio')
			assert.ok(await page.locator(`#q-${code} input[name="q_${code}"][value="${v}"]`).isChecked(),
				`${code}: answer ${v} not kept`);
		else
			assert.equal(await el.inputValue(), v, `${code}: answer not kept`);
	}
	assert.match(await page.textContent('.iv-head'), /Đã trả lời [1-9]\d*\//);
	await shootBoth('interview-draft');
	await page.setViewportSize(DESKTOP);
	await logout();
});

// The plan, as issue 4 walks it: the office writes a plan and gives a task
// to the land officer; the officer reports progress with a photo on a
// phone; the clock moves past the due date and the task turns red on the
// overdue list; the office asks the unit to explain; the chair opens the
// scorecard.
test('a task from the plan to the scorecard', async () => {
	await login('vanphong');
	await visit('plan-list', '/plan');
	await page.goto(base + '/plan/new');
	await page.fill('#title', 'Nâng cao Chỉ số PAPI năm 2026 – bổ sung');
	await page.fill('#year', '2026');
	await page.fill('#signer_name', 'Trần Văn Thắng');
	await shootBoth('plan-new');
	await Promise.all([
		page.waitForURL(/\/plan\/\d+$/),
		page.locator('button[type="submit"]:not(.secondary):not(.visually-hidden)', { hasText: 'Tạo dự thảo' }).click(),
	]);
	const planPath = new URL(page.url()).pathname;
	assert.match(await page.textContent('main'), /bổ sung/);

	await page.goto(base + planPath + '/tasks/new');
	await page.fill('#title', 'Niêm yết công khai quy hoạch sử dụng đất tại nhà văn hóa các thôn');
	const lead = page.locator('#lead_unit_id option', { hasText: 'Địa chính' }).first();
	await page.selectOption('#lead_unit_id', await lead.getAttribute('value'));
	const officer = page.locator('#responsible_user_id option', { hasText: 'Đỗ Quang Huy' }).first();
	await page.selectOption('#responsible_user_id', await officer.getAttribute('value'));
	await page.locator('details:has(#l_D3) summary').click();
	await page.check('#l_D3');
	await page.fill('#start_on', '01/12/2026');
	await page.fill('#due_on', '04/12/2026');
	await shootBoth('plan-task-new');
	await Promise.all([
		page.waitForURL(/\/plan\/tasks\/\d+$/),
		page.locator('button[type="submit"]', { hasText: 'Giao nhiệm vụ' }).click(),
	]);
	const taskPath = new URL(page.url()).pathname;
	assert.match(await page.textContent('main'), /Niêm yết công khai/);
	await logout();

	// the officer, on a phone, with a photo
	await page.setViewportSize(PHONE);
	await login('canbo');
	await page.goto(base + taskPath);
	await page.selectOption('#status', 'doing');
	await page.fill('#progress', '50');
	await page.fill('#note', 'Đã niêm yết tại Thôn 1, Thôn 2; còn 4 thôn.');
	await page.setInputFiles('#files', path.join(ROOT, 'tests/fixtures/files/photo.jpg'));
	await shot('plan-report-phone', PHONE);
	await Promise.all([
		page.waitForURL((u) => u.pathname === taskPath),
		page.locator('form.report-form button[type="submit"]').click(),
	]);
	assert.match(await page.textContent('main'), /còn 4 thôn/);
	const img = page.locator('.updates img').first();
	assert.equal(await img.count(), 1, 'the photo is not shown in the history');
	const src = await img.getAttribute('src');
	const photo = await page.request.get(base + src);
	assert.equal(photo.status(), 200);
	assert.equal(photo.headers()['content-type'], 'image/jpeg');
	assert.deepEqual(Buffer.from(await photo.body()),
		fs.readFileSync(path.join(ROOT, 'tests/fixtures/files/photo.jpg')));
	await shootBoth('plan-task-reported');
	await page.setViewportSize(DESKTOP);
	await logout();

	// a week later the task is past due: red on the overdue list
	await startServer({ QUANTRI_NOW: '2026-12-09T02:00:00Z' });
	await login('vanphong');
	await page.goto(base + '/plan/overdue');
	const row = page.locator('li.task-card', { hasText: 'quy hoạch sử dụng đất' });
	assert.equal(await row.count(), 1, 'the task is not on the overdue list');
	assert.match(await row.getAttribute('class'), /\boverdue\b/);
	assert.match(await row.textContent(), /Quá hạn/);
	const red = await row.locator('.state').first().evaluate((el) => getComputedStyle(el).color);
	const [r, g, b] = red.match(/\d+/g).map(Number);
	assert.ok(r >= 120 && r > 3 * g && r > 3 * b, `the overdue state is not red: ${red}`);
	await shootBoth('plan-overdue');

	// the office asks the unit to explain
	const taskId = taskPath.split('/').pop();
	await Promise.all([
		page.waitForURL(new RegExp(`/plan/requests\\?task=${taskId}`)),
		row.locator('a', { hasText: 'Đôn đốc đơn vị' }).click(),
	]);
	await page.check('input[name="kind"][value="explanation"]');
	await page.fill('#n-message', 'Đề nghị bộ phận giải trình lý do chậm niêm yết tại 4 thôn còn lại.');
	await Promise.all([
		page.waitForLoadState(),
		page.locator('#new-request button[type="submit"]').click(),
	]);
	await page.goto(base + '/plan/requests');
	assert.match(await page.textContent('main'), /giải trình lý do chậm niêm yết/);
	await shootBoth('plan-requests');
	await logout();

	// the chair opens the scorecard
	await login('chutich');
	await visit('plan-scorecard', '/plan/scorecard');
	assert.match(await page.textContent('main'), /Địa chính/);
	await visit('plan-timeline', '/plan/timeline');
	assert.ok(await page.locator('svg').count() > 0, 'the timeline has no chart');
	await visit('plan-by-dimension', '/plan/by-dimension');
	await visit('plan-calendar', '/plan/calendar?month=2026-12');
	await logout();
	await startServer({});
});
