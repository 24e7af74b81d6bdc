import { dueReminderLabels } from './sweeper';

describe('the scheduled reminders due before a deadline', () => {
  const DAY = 86_400_000;
  const deadline = new Date('2022-07-31T16:59:59.999Z'); // 31 July 2022, 23:59 in Bangkok
  const offsets = [14, 7, 1];
  const at = (daysBefore: number, plusMs = 0) => new Date(deadline.getTime() - daysBefore * DAY + plusMs);

  it('is none before the first offset, then the latest one due, labelled with the deadline’s day', () => {
    expect(dueReminderLabels(offsets, deadline, at(15), new Set())).toEqual({ send: null, passed: [] });
    expect(dueReminderLabels(offsets, deadline, at(14), new Set())).toEqual({
      send: 'T-14-2022-07-31',
      passed: [],
    });
  });

  it('records offsets that passed unsent instead of sending them late, and sends nothing twice', () => {
    expect(dueReminderLabels(offsets, deadline, at(1, 60_000), new Set(['T-14-2022-07-31']))).toEqual({
      send: 'T-1-2022-07-31',
      passed: ['T-7-2022-07-31'],
    });
    expect(
      dueReminderLabels(
        offsets,
        deadline,
        at(1, 60_000),
        new Set(['T-1-2022-07-31', 'T-7-2022-07-31', 'T-14-2022-07-31']),
      ),
    ).toEqual({
      send: null,
      passed: [],
    });
  });

  it('counts only the offsets after an agency’s deadline was given (a 3-day extension hears T-1)', () => {
    const grantedAt = at(3);
    expect(dueReminderLabels(offsets, deadline, at(3, 60_000), new Set(), grantedAt)).toEqual({
      send: null,
      passed: [],
    });
    expect(dueReminderLabels(offsets, deadline, at(1, 60_000), new Set(), grantedAt)).toEqual({
      send: 'T-1-2022-07-31',
      passed: [],
    });
  });
});
