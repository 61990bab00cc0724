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
import { openPhone, PHOTO, PHONE, ROOT, SHOTS } from './phone.mjs';

// Unique words, so the lists find this supervision among the demo's.
const TITLE = 'Giám sát việc cấp giấy khai sinh tại Bộ phận Một cửa';
const FINDING = 'Sổ đăng ký khai sinh năm 2026 thiếu chữ ký của người đi đăng ký ở 4 trang.';
const REC = 'Mời người đi đăng ký bổ sung chữ ký vào sổ khai sinh';

let phone, base, context, page;
let inspectionUrl, taskUrl;

const shot = (name) => phone.shot(name);
const login = (username) => phone.login(username);
const submit = (locator) => phone.submit(locator);

before(async () => {
	phone = await openPhone('oversight', { QUANTRI_NOW: '2026-11-27T03:00:00Z' });
	({ base, context, page } = phone);
});

after(async () => {
	if (phone) await phone.close();
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
