import { MantineProvider } from '@mantine/core';
import type { ResponseDetail } from '@dg/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { theme } from '../../../app/theme';
import '../../../i18n';
import { ApprovalActions } from './ApprovalActions';

const response: ResponseDetail = {
  id: '00000000-0000-4000-8000-000000000010',
  cycleId: '2566',
  agencyId: '00000000-0000-4000-8000-0000000000aa',
  agencyCode: 'DEP-001',
  agencyName: 'กรมตัวอย่าง',
  group: 'department',
  status: 'awaiting_approval',
  version: 12,
  submissionCount: 0,
  deadline: '2023-07-31T16:59:00.000Z',
  updatedAt: '2023-07-01T03:00:00.000Z',
  submittedAt: null,
  setAside: null,
  questionnaireId: '00000000-0000-4000-8000-000000000020',
  questionnaireVersion: 1,
  answers: {},
  verdicts: [],
  returnComment: null,
  sentBack: null,
};

function renderActions() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <ApprovalActions response={response} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { user: userEvent.setup(), queryClient };
}

describe('the agency head’s approval', () => {
  it('will not send back without a reason, and sends the reason the head typed', async () => {
    const post = vi.spyOn(api, 'post').mockResolvedValue({
      ...response,
      status: 'in_progress',
      version: 13,
      sentBack: { by: 'approver', actorId: 'x', comment: 'แก้ข้อ 3.2', at: '2023-07-02T03:00:00.000Z' },
    });
    const { user, queryClient } = renderActions();
    await user.click(screen.getByRole('button', { name: 'ส่งกลับให้แก้ไข' }));
    const dialog = await screen.findByRole('dialog', { name: 'ส่งกลับให้ผู้ประสานงานแก้ไข' });
    const comment = within(dialog).getByRole('textbox', { name: /เหตุผลที่ส่งกลับ/ });
    expect(comment).toHaveAttribute('aria-required', 'true');

    // Nothing typed: refused at the field, announced, nothing sent.
    await user.click(within(dialog).getByRole('button', { name: 'ยืนยันส่งกลับ' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('กรุณาระบุเหตุผลที่ส่งกลับ');
    expect(comment).toHaveAttribute('aria-invalid', 'true');
    // Spaces only are no reason either.
    await user.type(comment, '   ');
    await user.click(within(dialog).getByRole('button', { name: 'ยืนยันส่งกลับ' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('กรุณาระบุเหตุผลที่ส่งกลับ');
    expect(post).not.toHaveBeenCalled();

    await user.clear(comment);
    await user.type(comment, '  แก้ข้อ 3.2 ');
    await user.click(within(dialog).getByRole('button', { name: 'ยืนยันส่งกลับ' }));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(post).toHaveBeenCalledWith(`/cycles/2566/responses/${response.agencyId}/approve`, {
      version: 12,
      decision: 'reject',
      comment: 'แก้ข้อ 3.2',
    });
    expect(await screen.findByRole('status')).toHaveTextContent('ส่งกลับให้ผู้ประสานงานแก้ไขแล้ว');
    // The page (and the landing) read the response the server answered.
    expect(queryClient.getQueryData(['responses', '2566', response.agencyId])).toMatchObject({
      status: 'in_progress',
      version: 13,
    });
  });

  it('approves without a comment, and shows a segregation-of-duties refusal in Thai with its code', async () => {
    const post = vi.spyOn(api, 'post').mockRejectedValue(
      new ApiProblem({
        status: 403,
        code: 'SELF_APPROVAL_FORBIDDEN',
        detail: 'ผู้ที่กรอกหรือส่งคำตอบรอบนี้อนุมัติคำตอบนั้นเองไม่ได้ ต้องให้ผู้อนุมัติอีกคนของหน่วยงานอนุมัติ',
      }),
    );
    const { user } = renderActions();
    await user.click(screen.getByRole('button', { name: 'อนุมัติและส่งถึง สพร.' }));
    const dialog = await screen.findByRole('dialog', { name: 'ยืนยันการอนุมัติ' });
    await user.click(within(dialog).getByRole('button', { name: 'ยืนยันอนุมัติและส่ง' }));
    await waitFor(() =>
      expect(post).toHaveBeenCalledWith(expect.stringMatching(/\/approve$/), {
        version: 12,
        decision: 'approve',
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('อนุมัติคำตอบนั้นเองไม่ได้');
    expect(screen.getByText('รหัส: SELF_APPROVAL_FORBIDDEN')).toBeInTheDocument();
    // Still awaiting approval: the head may still send it back.
    expect(screen.getByRole('button', { name: 'ส่งกลับให้แก้ไข' })).toBeEnabled();
  });
});
