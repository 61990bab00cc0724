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
import { openPhone, PHOTO, PHONE, ROOT, SHOTS } from './phone.mjs';

// Unique words, so the lists find this case among the demo's.
const TITLE = 'Cột điện nghiêng trước nhà văn hóa Thôn 4';
const BODY = 'Cột điện trước nhà văn hóa Thôn 4 bị nghiêng sau bão, dây võng thấp, trẻ em đi học qua rất nguy hiểm.';

let phone, base, context, page;
let code, secret, caseUrl;

const shot = (name) => phone.shot(name);
const login = (username) => phone.login(username);
const submit = (locator) => phone.submit(locator);

before(async () => {
	phone = await openPhone('voice', {});
	({ base, context, page } = phone);
});

after(async () => {
	if (phone) await phone.close();
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
