import type { Browser, Page } from 'playwright-core';
import type { Principal } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import { launchBrowser, laptopPage, screenshot } from './support/browser';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll, startInstance, taskOf } from './support/instances';
import { startTestApp, type TestApp } from './support/test-app';

const SECURITY: Principal = { sub: 'an.quan', name: '安全', groups: ['security-admin'] };
const OFFICER: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
const NEW_PASSWORD = 'Xuncha-Office-2026';

/** A task due on the date its instance names, for the inspection office. */
const PROCESS = `${BPMN_HEADER}
  <bpmn:process id="console-probe" name="问题线索初核" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
    <bpmn:userTask id="Check" name="核实线索"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /><zeebe:taskSchedule dueDate="=due" /></bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe('the console', () => {
  let database: TestDatabase;
  let api: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    await api.app.get(UserRepository).seed([SECURITY, OFFICER]);
    browser = await launchBrowser();
    page = await laptopPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await database?.drop();
  });

  it('opens at the login in Chinese, and refuses a wrong password in Chinese', async () => {
    await page.goto(`${api.url}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.getByRole('heading', { name: '巡察协同工作台' }).waitFor();
    await page.getByLabel('用户名', { exact: true }).fill('zhang.wei');
    await page.getByLabel('密码', { exact: true }).fill('Not-The-Password-1');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('用户名或密码错误').waitFor();
    await screenshot(page, 'login-refused');
  });

  it('signs in with a temporary password, sets a new one, and shows the inbox with due dates, overdue in red', async () => {
    await deployAll(api, [PROCESS]);
    const late = await startInstance(api, 'console-probe', { businessKey: 'XS-2026-001', variables: { due: '2026-01-05T17:00:00+08:00' } });
    await startInstance(api, 'console-probe', { businessKey: 'XS-2026-002', variables: { due: '2030-06-28T17:00:00+08:00' } });
    await taskOf(api, late, 'Check', OFFICER);
    const temporary = ((await api.post('/users/zhang.wei/password-reset', undefined, SECURITY)).body as { temporaryPassword: string }).temporaryPassword;

    await page.goto(`${api.url}/console/`);
    await page.getByLabel('用户名', { exact: true }).fill('zhang.wei');
    await page.getByLabel('密码', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('首次登录或密码已重置，请先设置新密码').waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('tooshort');
    await page.getByLabel('确认新密码').fill('tooshort');
    await page.getByRole('button', { name: '设置新密码并进入' }).click();
    await page.getByText('新密码太短').waitFor();
    await screenshot(page, 'password-change');
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '设置新密码并进入' }).click();

    await page.getByText('我的待办').first().waitFor();
    const lateRow = page.getByRole('row').filter({ hasText: 'XS-2026-001' });
    const laterRow = page.getByRole('row').filter({ hasText: 'XS-2026-002' });
    await lateRow.waitFor();
    await expectText(lateRow, ['核实线索', '问题线索初核', '2026年1月5日', '逾期', '待认领']);
    await expectText(laterRow, ['2030年6月28日', '剩余']);
    expect(await lateRow.getAttribute('class')).toContain('row-overdue');
    await settled(page);
    await screenshot(page, 'inbox');

    await lateRow.getByRole('button', { name: '认领' }).click();
    await lateRow.getByText('我已认领').waitFor();
    await settled(page);
    await screenshot(page, 'inbox-claimed');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: '登录', exact: true }).waitFor();
    await page.getByLabel('用户名', { exact: true }).fill('zhang.wei');
    await page.getByLabel('密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await lateRow.getByText('我已认领').waitFor();
  });
});

/** Waits until no table is loading (its rows dimmed) and no message is on its way in or out. */
async function settled(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  // Runs in the page (a function, not text: the console's CSP forbids eval), where the DOM is; this file is typed for Node.
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: { getAnimations(): Array<{ playState: string }> } }).document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
}

async function expectText(row: ReturnType<Page['getByRole']>, texts: string[]): Promise<void> {
  const content = await row.innerText();
  for (const text of texts) expect(content).toContain(text);
}
