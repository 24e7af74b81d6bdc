import { describe, expect, it } from 'vitest';
// Node-side check only: the browser bundle never imports the contracts at run time.
import { ErrorCatalog, RESPONSE_STATUS_TH } from '@dg/contracts';
import { th } from '../i18n/th';
import { PROBLEM_MESSAGES_TH, retryAfterTh, thaiMessageFor } from './problems';

describe('Thai problem messages', () => {
  it('are only for codes the platform answers (or the portal’s own NETWORK_ERROR)', () => {
    const known = new Set([...Object.keys(ErrorCatalog), 'NETWORK_ERROR']);
    expect(Object.keys(PROBLEM_MESSAGES_TH).filter((c) => !known.has(c))).toEqual([]);
  });

  it('fall back by status, then to a general message', () => {
    expect(thaiMessageFor('SOMETHING_NEW', 404)).toBe(PROBLEM_MESSAGES_TH.NOT_FOUND);
    expect(thaiMessageFor('HTTP_502', 502)).toBe(PROBLEM_MESSAGES_TH.INTERNAL);
    expect(thaiMessageFor('HTTP_418', 418)).toMatch(/ข้อผิดพลาด/);
  });

  it('say how long to wait', () => {
    expect(retryAfterTh(17)).toBe('โปรดรอ 17 วินาทีแล้วลองใหม่');
    expect(retryAfterTh(125)).toBe('โปรดรอ 2 นาที 5 วินาทีแล้วลองใหม่');
    expect(retryAfterTh(60)).toBe('โปรดรอ 1 นาทีแล้วลองใหม่');
  });

  it('response statuses read the same as in messages and exports', () => {
    expect(th.status).toEqual(RESPONSE_STATUS_TH);
  });
});
