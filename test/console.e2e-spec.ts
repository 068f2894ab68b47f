import type { Browser, Page } from 'playwright-core';
import type { Principal } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import ExcelJS from 'exceljs';
import { TokensService } from '../apps/api/src/auth/tokens.service';
import { launchBrowser, laptopPage, screenshot, watchErrors } from './support/browser';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll, startInstance, taskOf } from './support/instances';
import { startTestApp, TEST_SYSTEM_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const SECURITY: Principal = { sub: 'an.quan', name: '安全', groups: ['security-admin'] };
const OFFICER: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
const PROCESS_ADMIN: Principal = { sub: 'liu.yang', name: '刘洋', groups: ['process-admin'] };
const AUDITOR: Principal = { sub: 'shen.ji', name: '审计员', groups: ['auditor'] };
const UNIT_USER: Principal = { sub: 'wu.gang', name: '吴刚', groups: ['inspected-unit'] };
const CASE_OFFICER: Principal = { sub: 'zhou.min', name: '周敏', groups: ['commission-case-office'] };
const OWNER: Principal = { sub: 'li.ming', name: '李明', groups: ['commission-room-3'] };
const NEW_PASSWORD = 'Xuncha-Office-2026';

/** A task due on the date its instance names, for the inspection office, on a shipped form; drawn (with diagram interchange) as Camunda Modeler saves it. */
const PROCESS = `${BPMN_HEADER.replace('<bpmn:definitions ', '<bpmn:definitions xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" ')}
  <bpmn:process id="console-probe" name="问题线索初核" isExecutable="true">
    <bpmn:startEvent id="Start" name="受理"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
    <bpmn:userTask id="Check" name="核实线索"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /><zeebe:taskSchedule dueDate="=due" /><zeebe:formDefinition formId="clue-inquiry" /></bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />
    <bpmn:endEvent id="End" name="办结"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_probe">
    <bpmndi:BPMNPlane id="Plane_probe" bpmnElement="console-probe">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Check_di" bpmnElement="Check"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="F1_di" bpmnElement="F1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

/** A split where one way out has no condition and is not the default: refused, at the flow. */
const BROKEN = PROCESS.replace('id="console-probe" name="问题线索初核"', 'id="console-broken" name="线索分流"')
  .replace('bpmnElement="console-probe"', 'bpmnElement="console-broken"')
  .replace('<bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />', `<bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="Split" />
    <bpmn:exclusiveGateway id="Split" name="是否属实"><bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>Yes</bpmn:outgoing><bpmn:outgoing>No</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="Yes" sourceRef="Split" targetRef="End"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="No" sourceRef="Split" targetRef="End" />`)
  .replace('<bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>', '<bpmn:incoming>Yes</bpmn:incoming><bpmn:incoming>No</bpmn:incoming></bpmn:endEvent>')
  .replace('<dc:Bounds x="392" y="102" width="36" height="36" />', '<dc:Bounds x="492" y="102" width="36" height="36" />')
  .replace(
    '<bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>',
    `<bpmndi:BPMNShape id="Split_di" bpmnElement="Split" isMarkerVisible="true"><dc:Bounds x="385" y="95" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="340" y="120" /><di:waypoint x="385" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Yes_di" bpmnElement="Yes"><di:waypoint x="435" y="120" /><di:waypoint x="492" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="No_di" bpmnElement="No"><di:waypoint x="410" y="145" /><di:waypoint x="410" y="190" /><di:waypoint x="510" y="190" /><di:waypoint x="510" y="138" /></bpmndi:BPMNEdge>`,
  );

describe('the console', () => {
  let database: TestDatabase;
  let api: TestApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true, testClock: true });
    await api.app.get(UserRepository).seed([SECURITY, OFFICER, UNIT_USER, PROCESS_ADMIN, AUDITOR, CASE_OFFICER, OWNER]);
    browser = await launchBrowser();
    page = await laptopPage(browser);
    errors = watchErrors(page);
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
    // The bell: the two tasks offered and the overdue work, unread until marked so, kept by the server.
    await page.getByRole('button', { name: '通知，3 条未读' }).click();
    await page.getByText('有 1 项任务已逾期').waitFor();
    await page.getByText('新任务待认领：核实线索（XS-2026-001）').waitFor();
    await settled(page);
    await screenshot(page, 'notices');
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await page.getByRole('button', { name: '通知', exact: true }).waitFor();
    await page.keyboard.press('Escape');

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
    // The only refusals of this walk: the wrong password and the too short new one, typed on purpose.
    expect(errors.filter((error) => !/status of 40[01]/.test(error))).toEqual([]);
  });

  it('shows the overdue task in red on the deadline board, grouped by office', async () => {
    errors.length = 0;
    await page.getByRole('menuitem', { name: '期限看板' }).click();
    const lateRow = page.getByRole('row').filter({ hasText: 'XS-2026-001' });
    await lateRow.waitFor();
    await expectText(lateRow, ['核实线索', '问题线索初核', '逾期', '2026年1月5日']);
    expect(await lateRow.getAttribute('class')).toContain('row-overdue');
    await page.getByRole('heading', { name: /巡察办/ }).waitFor();
    // Due in 2030: not within the board's window.
    expect(await page.getByRole('row').filter({ hasText: 'XS-2026-002' }).count()).toBe(0);
    await settled(page);
    await screenshot(page, 'deadlines');
    expect(errors).toEqual([]);
  });

  it('works a task through its form: the form’s own checks, the server’s refusal at its field, then the completion, and the task leaves the inbox', async () => {
    errors.length = 0;
    await page.getByRole('menuitem', { name: '我的待办' }).click();
    await page.getByRole('row').filter({ hasText: 'XS-2026-001' }).getByRole('link', { name: '核实线索' }).click();
    await page.getByText('办理表单').waitFor();
    await page.getByText('函询结论').waitFor();
    // The diagram, with this task marked.
    await page.locator('.djs-element.marker-current[data-element-id="Check"]').waitFor();
    await settled(page);
    await screenshot(page, 'task');

    // The form checks its required fields itself, in Chinese.
    await page.getByRole('button', { name: '提交办结' }).click();
    await page.getByText('此项为必填项。').first().waitFor();

    await page.getByLabel('转初步核实').check();
    await page.getByLabel('谈话函询情况').fill('经函询，本人对反映问题作出说明，需进一步核实。');
    // A body the form would never send, to see the server's refusal placed at its field.
    await page.route('**/tasks/*/complete', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { variables: Record<string, unknown> };
      await route.continue({ postData: JSON.stringify({ ...body, variables: { ...body.variables, inquiryReport: 42 } }) });
    });
    await page.getByRole('button', { name: '提交办结' }).click();
    await page.locator('.fjs-form-field-error').filter({ hasText: '须填写文字' }).waitFor();
    await settled(page);
    await screenshot(page, 'task-refused');
    await page.unrouteAll();

    await page.getByRole('button', { name: '提交办结' }).click();
    await page.getByText('“核实线索”已办结').waitFor();
    await page.getByText('我的待办').first().waitFor();
    await page.getByRole('row').filter({ hasText: 'XS-2026-002' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'XS-2026-001' }).count()).toBe(0);
    // The 422 this test provoked is the only error the page printed.
    expect(errors.filter((error) => !error.includes('422'))).toEqual([]);
  });

  it('shows an instance on its diagram, where it stands and the path taken, and the diagram moves on by itself when its task is done', async () => {
    errors.length = 0;
    await page.getByRole('menuitem', { name: '流程实例' }).click();
    const row = page.getByRole('row').filter({ hasText: 'XS-2026-002' });
    await row.waitFor();
    await expectText(row, ['问题线索初核', '运行中']);
    await row.getByRole('link', { name: '问题线索初核' }).click();
    await page.locator('.djs-element.marker-active[data-element-id="Check"]').waitFor();
    await page.locator('.djs-element.marker-done[data-element-id="Start"]').waitFor();
    await page.getByRole('tab', { name: '预计期限' }).click();
    await page.getByText('2030年6月28日').waitFor();
    await settled(page);
    await screenshot(page, 'instance');

    // Done elsewhere (by the API, as another browser would): the page follows without a reload.
    const instanceId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const task = await taskOf<{ id: string; elementId: string }>(api, instanceId, 'Check', OFFICER);
    expect((await api.post(`/tasks/${task.id}/claim`, {}, OFFICER)).status).toBe(200);
    expect((await api.post(`/tasks/${task.id}/complete`, { variables: { inquiryResult: 'close', inquiryReport: '经函询，反映问题不属实，予以了结。' } }, OFFICER)).status).toBe(200);
    await page.locator('.djs-element.marker-done[data-element-id="End"]').waitFor();
    await page.locator('.djs-element.marker-done[data-element-id="Check"]').waitFor();
    expect(await page.locator('.djs-element.marker-active').count()).toBe(0);
    await page.getByText('已完成').first().waitFor();
    await page.getByRole('tab', { name: '办理历程' }).click();
    await page.getByText('张伟').first().waitFor();
    await settled(page);
    await screenshot(page, 'instance-completed');
    expect(errors).toEqual([]);
  });

  it('hands a claimed task over to someone else, who then holds it', async () => {
    errors.length = 0;
    const instanceId = await startInstance(api, 'console-probe', { businessKey: 'XS-2026-003', variables: { due: '2030-07-01T17:00:00+08:00' } });
    const task = await taskOf<{ id: string; elementId: string }>(api, instanceId, 'Check', OFFICER);
    expect((await api.post(`/tasks/${task.id}/claim`, {}, OFFICER)).status).toBe(200);
    await page.goto(`${api.url}/console/tasks/${task.id}`);
    await page.getByRole('button', { name: '转办' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('接办人').fill('刘洋');
    await page.locator('.ant-select-item-option').filter({ hasText: '刘洋' }).click();
    await dialog.getByRole('button', { name: '转交' }).click();
    await page.getByText('已转交 刘洋 办理').waitFor();
    await page.getByText('我的待办').first().waitFor();
    expect(((await api.get(`/tasks/${task.id}`, OFFICER)).body as { assignee: string }).assignee).toBe('liu.yang');
    expect(errors).toEqual([]);
  });

  it('lists the clue ledger and exports it as a workbook that opens', async () => {
    errors.length = 0;
    for (const unit of [
      { id: 'district-education-bureau', name: '区教育局', kind: 'inspected-unit' },
      { id: 'commission-room-3', name: '区纪委监委第三监督检查室', kind: 'commission' },
    ]) {
      expect((await api.post('/units', unit, TEST_SYSTEM_ADMIN)).status).toBe(201);
    }
    const round = await api.post('/rounds', { name: '十五届区委第五轮巡察', kind: 'regular', periodStart: '2026-09-01', periodEnd: '2026-12-31', inspectedUnits: ['district-education-bureau'] }, OFFICER);
    const registered = await api.post(
      '/clues',
      {
        round: (round.body as { id: string }).id,
        unit: 'district-education-bureau',
        office: 'commission-room-3',
        category: 'discipline',
        summary: '反映某副局长违规收受礼金问题',
        persons: [{ name: '王某', position: '区教育局副局长' }],
        receivedOn: '2026-10-16',
      },
      OFFICER,
    );
    expect(registered.status).toBe(201);
    const number = (registered.body as { number: string }).number;

    await page.reload();
    await page.getByRole('menuitem', { name: '线索台账' }).click();
    const row = page.getByRole('row').filter({ hasText: number });
    await row.waitFor();
    await expectText(row, ['十五届区委第五轮巡察', '区教育局', '区纪委监委第三监督检查室', '2026年10月16日']);
    // A ledger line names no one.
    expect(await row.innerText()).not.toContain('王某');
    await settled(page);
    await screenshot(page, 'clues');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出台账' }).click()]);
    expect(download.suggestedFilename()).toBe('线索台账.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const cells = workbook.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String));
    expect(cells).toContain(number);

    // The registrant is of the clue's circle: its detail, and who has read it.
    await row.getByRole('link', { name: number }).click();
    await page.getByText('反映某副局长违规收受礼金问题').waitFor();
    await page.getByText('王某（区教育局副局长）').waitFor();
    await page.getByRole('tab', { name: '知悉范围与查阅记录' }).click();
    await page.getByRole('cell', { name: '查阅线索详情' }).first().waitFor();
    await settled(page);
    await screenshot(page, 'clue');
    expect(errors).toEqual([]);
  });

  it('charts 办结率 and 成案率 by month, and a bar opens the ledger lines it counts', async () => {
    errors.length = 0;
    await page.getByRole('menuitem', { name: '统计' }).click();
    await page.getByText('线索办理统计').waitFor();
    const chart = page.locator('[aria-label="线索办理统计图"]');
    await chart.locator('svg').waitFor();
    await page.getByRole('cell', { name: '2026年10月' }).waitFor();
    await settled(page);
    await screenshot(page, 'statistics');
    // The tallest grey shape is the month's bar of clues received (the legend's mark is small).
    const bars = chart.locator('path[fill="#8c8c8c"]');
    const heights = await bars.evaluateAll((elements) => elements.map((element) => (element as unknown as { getBBox(): { height: number } }).getBBox().height));
    await bars.nth(heights.indexOf(Math.max(...heights))).click();
    await page.waitForURL(/\/console\/clues\?.*receivedFrom=2026-10-01/);
    await page.getByRole('row').filter({ hasText: '巡移〔2026〕1号' }).waitFor();
    await page.getByText('收到日期起 2026年10月1日').waitFor();
    await settled(page);
    await screenshot(page, 'clues-from-statistics');
    expect(errors).toEqual([]);
  });

  it('registers a clue in the console and works it through its forms, as the people of its process, to the first feedback', async () => {
    errors.length = 0;
    // The clue runs on the test clock, so that six months pass in seconds: the only thing the test adds to what the page sends.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.route('**/clues', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      return route.continue({ postData: JSON.stringify({ ...body, virtualClock: { now: `${today}T09:00:00+08:00` } }) });
    });
    await page.getByRole('menuitem', { name: '线索台账' }).click();
    await page.getByRole('button', { name: '登记线索' }).click();
    await page.getByText('登记问题线索').waitFor();
    // Nothing chosen yet: each required field says so, in Chinese, and nothing is sent.
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText('请选择巡察轮次', { exact: true }).waitFor();
    await page.getByText('请填写线索摘要').waitFor();
    await page.getByLabel('巡察轮次').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '十五届区委第五轮巡察' }).click();
    await page.getByLabel('被巡察单位').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '区教育局' }).click();
    await page.getByLabel('承办部门').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '区纪委监委第三监督检查室' }).click();
    await page.getByLabel('问题类别').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '违反党纪' }).click();
    await page.getByLabel('线索摘要').fill('反映某校长违规收取择校费问题');
    await page.getByLabel('涉及人员1姓名').fill('赵某');
    await page.getByLabel('涉及人员1职务').fill('区第一中学校长');
    await settled(page);
    await screenshot(page, 'clue-register');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText(/已登记线索 巡移〔2026〕\d+号/).waitFor();
    await page.getByText('反映某校长违规收取择校费问题').waitFor();
    const number = (await page.getByText(/^巡移〔2026〕\d+号$/).first().innerText()).trim();
    await page.unrouteAll();
    expect(errors).toEqual([]);

    // The case office names the owner.
    const caseOffice = await signedInAs(CASE_OFFICER, '/');
    const caseRow = caseOffice.page.getByRole('row').filter({ hasText: number });
    await caseRow.getByRole('link', { name: '指定承办人' }).click();
    await caseOffice.page.getByRole('button', { name: '认领' }).click();
    await caseOffice.page.getByLabel('承办人（用户名）').fill('li.ming');
    await caseOffice.page.getByRole('button', { name: '提交办结' }).click();
    await caseOffice.page.getByText('“指定承办人”已办结').waitFor();
    expect(caseOffice.errors).toEqual([]);
    await caseOffice.close();

    // The owner studies it: a choice, a select, a date typed as people here write it, and the opinion.
    const owner = await signedInAs(OWNER, '/');
    const studyRow = owner.page.getByRole('row').filter({ hasText: number });
    await studyRow.getByRole('link', { name: '集体研判' }).click();
    await owner.page.getByText('办理表单').waitFor();
    // The date first, its picker closed before the next field takes the focus.
    const studied = owner.page.getByLabel('研判日期');
    await studied.fill(today.replaceAll('-', '/'));
    await studied.press('Enter');
    await owner.page.locator('.flatpickr-calendar.open').waitFor({ state: 'detached' });
    await owner.page.getByLabel('谈话函询').check();
    await owner.page.locator('.fjs-form-field-select').filter({ hasText: '四种形态' }).locator('.fjs-input-group').click();
    await owner.page.locator('.fjs-dropdownlist-item').filter({ hasText: '第一种形态' }).click();
    const opinion = owner.page.getByLabel('集体研判意见');
    await opinion.fill('经集体研判，建议对其进行谈话函询。');
    // Leaving the field hands its text to the form at once (form-js waits 300 ms otherwise).
    await opinion.press('Tab');
    await settled(owner.page);
    expect(await opinion.inputValue()).toBe('经集体研判，建议对其进行谈话函询。');
    expect(await studied.inputValue()).toMatch(/^\d{4}\/\d{1,2}\/\d{1,2}$/);
    await screenshot(owner.page, 'clue-study');
    await owner.page.getByRole('button', { name: '提交办结' }).click();
    await owner.page.getByText('“集体研判”已办结').waitFor();
    await owner.page.getByRole('row').filter({ hasText: number }).getByRole('link', { name: '谈话函询' }).waitFor();

    // Six months on (the test clock), the first feedback to the inspection office is asked for.
    const clue = (await api.get(`/clues?pageSize=200`, OWNER)).body as { items: Array<{ id: string; number: string }> };
    const clueId = clue.items.find((line) => line.number === number)!.id;
    const instanceId = `clue-${clueId}`;
    expect(await api.post(`/process-instances/${encodeURIComponent(instanceId)}/clock`, { by: 'P6M' })).toMatchObject({ status: 200 });
    const feedbackRow = owner.page.getByRole('row').filter({ hasText: number }).filter({ hasText: '向巡察办反馈办理情况' });
    await waitFor('the feedback task in the owner’s inbox', async () => {
      await owner.page.reload();
      await owner.page.getByRole('row').filter({ hasText: number }).first().waitFor();
      return (await feedbackRow.count()) > 0 ? true : undefined;
    }, { intervalMs: 1_000 });
    await feedbackRow.getByRole('link', { name: '向巡察办反馈办理情况' }).click();
    await owner.page.getByText('办理表单').waitFor();
    await owner.page.locator('.fjs-form-field-select').filter({ hasText: '当前进展' }).locator('.fjs-input-group').click();
    await owner.page.locator('.fjs-dropdownlist-item').filter({ hasText: '谈话函询中' }).click();
    await owner.page.getByLabel('反馈内容').fill('已发函询通知，本人正在书面说明。');
    await owner.page.getByLabel('反馈内容').press('Tab');
    await owner.page.getByRole('button', { name: '提交办结' }).click();
    await owner.page.getByText('“向巡察办反馈办理情况”已办结').waitFor();

    // The clue's detail shows the first feedback.
    await owner.page.goto(`${api.url}/console/clues/${clueId}`);
    await owner.page.getByText('已发函询通知，本人正在书面说明。').waitFor();
    await owner.page.getByText(/第 1 次反馈.*· 谈话函询中/).waitFor();
    await settled(owner.page);
    await screenshot(owner.page, 'clue-feedback');
    expect(owner.errors).toEqual([]);
    await owner.close();
  });

  it('uploads a broken BPMN file: the findings listed in Chinese and marked on the diagram at the offending element, nothing deployed', async () => {
    const { page: adminPage, errors: errorsHere, close } = await signedInAs(PROCESS_ADMIN, '/definitions');
    await adminPage.getByRole('button', { name: '上传 BPMN 文件' }).waitFor();
    await adminPage.locator('input[type=file]').setInputFiles({ name: '线索分流.bpmn', mimeType: 'application/xml', buffer: Buffer.from(BROKEN) });
    await adminPage.getByText('未通过检查', { exact: true }).waitFor();
    await adminPage.getByText('网关出口的条件设置有误').first().waitFor();
    // The one finding of this file, and none about the drawing.
    expect(await adminPage.getByText('元素引用了不存在的元素').count()).toBe(0);
    await adminPage.locator('.djs-element.marker-error').first().waitFor();
    const marked = await adminPage.locator('.djs-element.marker-error').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-element-id')));
    expect(marked.some((id) => id === 'Split' || id === 'No')).toBe(true);
    await settled(adminPage);
    await screenshot(adminPage, 'definition-refused');
    expect((await api.get('/definitions/console-broken')).status).toBe(404);
    // A process is chosen by keyboard as well as by mouse: focus its row, press Enter.
    const probeRow = adminPage.getByRole('row').filter({ hasText: '问题线索初核' });
    await probeRow.focus();
    await adminPage.keyboard.press('Enter');
    await adminPage.locator('tr[aria-selected="true"]').filter({ hasText: '问题线索初核' }).waitFor();
    await adminPage.getByText(/第 1 版（/).waitFor();
    // The 422 of the refused upload is the only error the page printed.
    expect(errorsHere.filter((error) => !error.includes('422'))).toEqual([]);
    await close();
  });

  it('enters a calendar override in place: a working day made a holiday shows as one', async () => {
    const { page: adminPage, errors: errorsHere, close } = await signedInAs(PROCESS_ADMIN, '/calendar');
    // A Wednesday of the month on show, not a holiday of the data.
    const today = new Date(Date.now() + 8 * 3_600_000);
    const day = [15, 16, 17, 18, 19, 20, 21]
      .map((n) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), n)))
      .find((date) => date.getUTCDay() === 3)!
      .toISOString()
      .slice(0, 10);
    const cell = adminPage.locator(`.calendar-day[data-date="${day}"]`);
    await cell.waitFor();
    expect(await cell.innerText()).not.toContain('休');
    await cell.click();
    await adminPage.getByRole('dialog').getByLabel('放假').check();
    await adminPage.getByLabel('说明').fill('临时放假');
    await adminPage.getByRole('button', { name: '保存' }).click();
    await cell.getByText('临时放假').waitFor();
    expect(await cell.innerText()).toContain('休');
    expect(((await api.get('/calendar/overrides', PROCESS_ADMIN)).body as Array<{ date: string; kind: string }>).find((override) => override.date === day)).toMatchObject({ kind: 'holiday' });
    await settled(adminPage);
    await screenshot(adminPage, 'calendar');
    expect(errorsHere).toEqual([]);
    await close();
  });

  it('lets the security administrator grant a role, and the auditor read the trail and check its chain, each starting at their own page', async () => {
    const security = await signedInAs(SECURITY, '/');
    const securityErrors = security.errors;
    await security.page.waitForURL(/\/console\/users$/);
    const row = security.page.getByRole('row').filter({ hasText: 'wu.gang' });
    await row.getByRole('button', { name: '授予角色' }).click();
    const dialog = security.page.getByRole('dialog');
    await dialog.getByLabel('角色').fill('督查');
    await security.page.locator('.ant-select-item-option').filter({ hasText: '督查督办' }).click();
    await dialog.getByLabel('理由').fill('兼任督查');
    await dialog.getByRole('button', { name: '授予' }).click();
    await security.page.getByText('已授予“督查督办”').waitFor();
    await row.getByText('督查督办').waitFor();
    // The menu holds the administrator's pages, none of the business ones.
    expect(await security.page.getByRole('menuitem', { name: '我的待办' }).count()).toBe(0);
    expect(await security.page.getByRole('menuitem', { name: '线索台账' }).count()).toBe(0);
    await settled(security.page);
    await screenshot(security.page, 'users');
    expect(securityErrors).toEqual([]);
    await security.close();

    const auditor = await signedInAs(AUDITOR, '/');
    const auditorErrors = auditor.errors;
    await auditor.page.waitForURL(/\/console\/audit$/);
    const grantRow = auditor.page.getByRole('row').filter({ hasText: '授予角色' }).first();
    await grantRow.waitFor();
    await expectText(grantRow, ['an.quan', '成功']);
    await auditor.page.getByRole('button', { name: '校验完整性' }).click();
    await auditor.page.getByText('审计链完整').waitFor();
    await settled(auditor.page);
    await screenshot(auditor.page, 'audit');
    expect(auditorErrors).toEqual([]);
    await auditor.close();
  });

  /** A page signed in as `who` (with a token of the server, as the login would give), opened at `path`. */
  async function signedInAs(who: Principal, path: string): Promise<{ page: Page; requests: string[]; errors: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const opened = await context.newPage();
    // Watched from the first load on: an error while the page starts counts too.
    const pageErrors = watchErrors(opened);
    const requests: string[] = [];
    opened.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await opened.goto(`${api.url}/console/`);
    const token = api.app.get(TokensService).issue(who).access_token;
    await opened.evaluate((value) => (globalThis as unknown as { sessionStorage: { setItem(key: string, value: string): void } }).sessionStorage.setItem('xuncha.token', value), token);
    await opened.goto(`${api.url}/console${path}`);
    return { page: opened, requests, errors: pageErrors, close: () => context.close() };
  }

  it('shows a user without the permission neither the menu entry nor the page when the address is typed', async () => {
    const { page: unitPage, requests, errors: unitErrors, close } = await signedInAs(UNIT_USER, '/clues');
    await unitPage.getByText('无权访问此页面').waitFor();
    expect(await unitPage.getByRole('menuitem', { name: '线索台账' }).count()).toBe(0);
    await unitPage.getByRole('menuitem', { name: '我的待办' }).waitFor();
    expect(requests.filter((path) => path.startsWith('/clues'))).toEqual([]);
    await screenshot(unitPage, 'forbidden-page');
    // Not even a refusal: the page asked for nothing it may not have.
    expect(unitErrors).toEqual([]);
    await close();
  });
});

/** Waits until no table is loading (its rows dimmed), no message is showing, and no animation runs. */
async function settled(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  // A message of an earlier step (shown for 3 s) is gone, so a screenshot shows this page alone.
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
  // Runs in the page (a function, not text: the console's CSP forbids eval), where the DOM is; this file is typed for Node.
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: { getAnimations(): Array<{ playState: string }> } }).document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
}

async function expectText(row: ReturnType<Page['getByRole']>, texts: string[]): Promise<void> {
  const content = await row.innerText();
  for (const text of texts) expect(content).toContain(text);
}
