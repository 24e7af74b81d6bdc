import { Button, Group, Paper, Text } from '@mantine/core';
import { useResponse, useSaveState } from './context';
import { useLang } from '../../i18n';
import { formatTime } from '../../lib/dates';
import { useResponseText } from './text';

// Every state's colour is above 4.5:1 on white (Mantine's green 9 and orange 9 are not).
const COLOR: Record<string, string> = {
  idle: '#495057',
  pending: '#495057',
  saving: '#1e3a8a',
  saved: '#14532d',
  offline: '#9a3412',
  retrying: '#9a3412',
  conflict: '#8a1c1c',
  locked: '#8a1c1c',
};

/**
 * The save state, always in view (sticky): saving / saved at 14:32 (Bangkok time) / offline –
 * will save when connected / edited elsewhere / cannot save, with how many answers wait in the
 * browser. A polite live region named "สถานะการบันทึก", so a screen reader hears each change.
 */
export function SaveStatus() {
  const { controller } = useResponse();
  const s = useResponseText();
  const lang = useLang();
  const phase = useSaveState((x) => x.phase);
  const savedAt = useSaveState((x) => x.savedAt);
  const mergedAt = useSaveState((x) => x.mergedAt);
  const retryAt = useSaveState((x) => x.retryAt);
  const unsent = useSaveState((x) => x.unsent);
  const durable = useSaveState((x) => x.durable);
  const error = useSaveState((x) => x.error);
  const problemCount = useSaveState((x) => Object.keys(x.problems).length);

  let text: string;
  switch (phase) {
    case 'idle':
      text = s.saveIdle;
      break;
    case 'pending':
      text = s.savePending;
      break;
    case 'saving':
      text = s.saveSaving;
      break;
    case 'saved':
      text = savedAt ? s.saveSaved(formatTime(savedAt, lang)) : mergedAt ? s.mergedNote(formatTime(mergedAt, lang)) : s.saveIdle;
      break;
    case 'offline':
      text = s.saveOffline;
      break;
    case 'retrying':
      text = retryAt ? s.saveRetrying(formatTime(retryAt, lang)) : s.saveOffline;
      break;
    case 'conflict':
      text = s.saveConflict;
      break;
    case 'locked':
      text = `${s.saveLocked}: ${error?.detail ?? ''}`;
      break;
  }
  const notes: string[] = [];
  if (mergedAt && phase !== 'conflict' && savedAt && mergedAt >= savedAt) notes.push(s.mergedNote(formatTime(mergedAt, lang)));
  if (unsent > 0 && (phase === 'offline' || phase === 'retrying' || phase === 'locked')) notes.push(s.unsentKept(unsent));
  if (problemCount > 0) notes.push(s.problemsNote(problemCount));
  if (!durable && unsent > 0) notes.push(s.notDurable);

  return (
    <Paper
      className="no-print"
      withBorder
      shadow="xs"
      px="md"
      py={6}
      style={{ position: 'sticky', top: 0, zIndex: 5 }}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <div role="status" aria-live="polite" aria-atomic="true" aria-label={s.saveRegion} data-phase={phase}>
          <Text fw={700} c={COLOR[phase]} size="sm" component="span">
            <span aria-hidden>● </span>
            {text}
          </Text>
          {notes.length > 0 && (
            <Text size="sm" component="span">
              {' · '}
              {notes.join(' · ')}
            </Text>
          )}
        </div>
        {(phase === 'offline' || phase === 'retrying') && (
          <Button size="compact-sm" variant="outline" onClick={() => controller.retryNow()}>
            {s.tryNow}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
