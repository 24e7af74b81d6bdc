import type { Answers } from '@dg/survey-model';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app/providers';
import { TEST_QUESTIONNAIRE } from '../../test/questionnaire';

const AGENCY = '00000000-0000-4000-8000-0000000000aa';
const QID = '00000000-0000-4000-8000-000000000099';
const me = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'coordinator@sample.go.th',
  displayName: 'สมหญิง ใจดี',
  roles: ['coordinator'],
  agencyId: AGENCY,
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The gateway as far as this page talks to it: one response, saved with a version check. */
function gateway(initial: Answers = {}) {
  const state = { version: 1, answers: { ...initial } as Answers, status: 'not_started' };
  const patches: { version: number; answers: Answers }[] = [];
  const detail = () => ({
    id: '00000000-0000-4000-8000-0000000000bb',
    cycleId: '2566',
    agencyId: AGENCY,
    agencyCode: 'DEP-001',
    agencyName: 'กรมตัวอย่าง',
    group: 'department',
    status: state.status,
    version: state.version,
    submissionCount: 0,
    deadline: '2099-07-31T16:59:00Z',
    updatedAt: '2023-06-01T00:00:00Z',
    submittedAt: null,
    setAside: null,
    questionnaireId: QID,
    questionnaireVersion: 1,
    answers: state.answers,
    verdicts: [],
    returnComment: null,
    sentBack: null,
  });
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit): Promise<Response> => Promise.resolve(answer(input, init)));
  const answer = (input: RequestInfo | URL, init?: RequestInit): Response => {
    const url = new URL(String(input as string), 'http://localhost');
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace('/api/v1', '');
    if (path === '/auth/refresh') {
      return json({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 900, refreshToken: 'r', refreshExpiresIn: 1, user: me });
    }
    if (path === '/cycles/2566') {
      return json({
        id: '2566',
        yearBE: 2566,
        title: { th: 'การสำรวจความพร้อมรัฐบาลดิจิทัล ปี 2566', en: 'Digital government readiness survey 2566' },
        status: 'open',
        opensAt: '2023-05-01T00:00:00Z',
        closesAt: '2099-07-31T16:59:00Z',
        questionnaireId: QID,
        questionnaireVersion: 1,
        agencyCount: 1,
        version: 1,
        createdAt: '2023-05-01T00:00:00Z',
        updatedAt: '2023-05-01T00:00:00Z',
      });
    }
    if (path === `/questionnaires/${QID}`) return json({ id: QID, version: 1, definition: TEST_QUESTIONNAIRE });
    if (path === `/cycles/2566/responses/${AGENCY}` && method === 'GET') return json(detail());
    if (path === `/cycles/2566/responses/${AGENCY}/answers` && method === 'PATCH') {
      const body = JSON.parse(init!.body as string) as { version: number; answers: Answers };
      patches.push(body);
      Object.assign(state.answers, body.answers);
      state.version++;
      state.status = 'in_progress';
      return json({ ...detail(), rejected: [] });
    }
    return json({ status: 404, code: 'NOT_FOUND' }, 404);
  };
  vi.stubGlobal('fetch', fetchMock);
  return { state, patches };
}

afterEach(() => vi.unstubAllGlobals());

describe('the coordinator’s questionnaire', () => {
  it('shows a follow-up question live when its condition holds, and saves only the changed answers', async () => {
    const server = gateway({ g_name: 'สมหญิง' });
    window.history.pushState({}, '', '/cycles/2566/response?pillar=p1');
    render(<App />);

    // One pillar per page: the pillar's title is the page's heading.
    expect(await screen.findByRole('heading', { level: 1, name: /มิติที่ 1 นโยบาย/ }, { timeout: 5000 })).toBeInTheDocument();
    const status = screen.getByRole('status', { name: 'สถานะการบันทึก' });
    expect(within(screen.getByRole('navigation', { name: 'ส่วนของแบบสำรวจ' })).getByRole('link', { name: /มิติที่ 1/ })).toHaveAttribute(
      'aria-current',
      'page',
    );

    // The follow-up is hidden until "yes".
    expect(screen.queryByRole('textbox', { name: /ปีที่เริ่มใช้แผน/ })).not.toBeInTheDocument();
    const user = userEvent.setup();
    const plan = screen.getByRole('radiogroup', { name: /มีแผนดิจิทัลหรือไม่/ });
    await user.click(within(plan).getByRole('radio', { name: 'ใช่' }));
    const year = await screen.findByRole('textbox', { name: /ปีที่เริ่มใช้แผน/ });
    await user.click(within(plan).getByRole('radio', { name: 'ไม่ใช่' }));
    await waitFor(() => expect(year).not.toBeInTheDocument());
    await user.click(within(plan).getByRole('radio', { name: 'ใช่' }));
    await user.type(await screen.findByRole('textbox', { name: /ปีที่เริ่มใช้แผน/ }), '๒๕๖๐');

    await waitFor(() => expect(server.state.answers.p1_plan_year).toBe(2560), { timeout: 4000 });
    await waitFor(() => expect(status).toHaveTextContent(/บันทึกแล้ว เวลา \d\d:\d\d น\./), { timeout: 4000 });
    // Only what changed, as survey-model's values (Thai digits read as a number), each save with
    // the version the last one answered (how many saves depends on the pauses in clicking).
    expect(server.patches.at(-1)?.answers).toMatchObject({ p1_plan_year: 2560 });
    server.patches.forEach((p, i) => {
      expect(p.version).toBe(i + 1);
      expect(Object.keys(p.answers).every((id) => id === 'p1_plan' || id === 'p1_plan_year')).toBe(true);
    });
    expect(server.state.answers).toEqual({ g_name: 'สมหญิง', p1_plan: true, p1_plan_year: 2560 });
  });

  it('says at the field, in Thai, what survey-model’s validator found, and does not send the bad value', async () => {
    const server = gateway({ p1_plan: true });
    window.history.pushState({}, '', '/cycles/2566/response?pillar=p1');
    render(<App />);
    const user = userEvent.setup();
    const year = await screen.findByRole('textbox', { name: /ปีที่เริ่มใช้แผน/ }, { timeout: 5000 });
    await user.type(year, '2600');
    await user.type(screen.getByRole('textbox', { name: /สัดส่วนงานที่เป็นดิจิทัล/ }), '45');

    await waitFor(() => expect(year).toHaveAttribute('aria-invalid', 'true'), { timeout: 4000 });
    expect(year).toHaveAccessibleDescription(/ต้องอยู่ระหว่าง 2,550 ถึง 2,570/);
    // Announced for screen reader users, wherever their focus is.
    await waitFor(() => expect(screen.getByRole('log')).toHaveTextContent(/ปีที่เริ่มใช้แผน: ต้องอยู่ระหว่าง 2,550 ถึง 2,570/));
    await waitFor(() => expect(server.state.answers.p1_share).toBe(45), { timeout: 4000 });
    expect(server.patches.flatMap((p) => Object.keys(p.answers))).not.toContain('p1_plan_year');
    expect(screen.getByRole('status', { name: 'สถานะการบันทึก' })).toHaveTextContent('1 ข้อยังบันทึกไม่ได้');

    // Fixed: the message goes and the answer is saved.
    await user.clear(year);
    await user.type(year, '2565');
    await waitFor(() => expect(year).not.toHaveAttribute('aria-invalid', 'true'), { timeout: 4000 });
    await waitFor(() => expect(server.state.answers.p1_plan_year).toBe(2565), { timeout: 4000 });
  });

  it('adds and removes rows of a repeating group, each row a labelled group of fields', async () => {
    const server = gateway({});
    window.history.pushState({}, '', '/cycles/2566/response?pillar=p1');
    render(<App />);
    const user = userEvent.setup();
    const list = await screen.findByRole('group', { name: /รายการบริการ/ }, { timeout: 5000 });
    await user.click(within(list).getByRole('button', { name: 'เพิ่มแถว' }));
    const row = within(list).getByRole('group', { name: 'แถวที่ 1' });
    await user.type(within(row).getByRole('textbox', { name: /ชื่อบริการ/ }), 'จองคิวออนไลน์');
    await waitFor(() => expect(server.state.answers.p1_services).toEqual([{ name: 'จองคิวออนไลน์' }]), { timeout: 4000 });
    await user.click(within(list).getByRole('button', { name: 'ลบแถวที่ 1' }));
    await waitFor(() => expect(server.state.answers.p1_services).toBeNull(), { timeout: 4000 });
    expect(within(list).getByRole('button', { name: 'เพิ่มแถว' })).toHaveFocus();
  });
});
