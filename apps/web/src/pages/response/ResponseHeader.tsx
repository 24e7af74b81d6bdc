import { Alert, Group, Stack, Text } from '@mantine/core';
import type { Cycle, ResponseDetail, ResponseStatus } from '@dg/contracts';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../i18n';
import { daysLeft, daysLeftText, formatDate, formatDateTime } from '../../lib/dates';
import { Marker, type Tone } from './Marker';
import { useResponseText } from './text';

/** Mantine colours per status (the check page's badge); this header uses `Marker` tones (contrast). */
export const STATUS_COLOR: Record<ResponseStatus, string> = {
  not_started: 'gray',
  in_progress: 'blue',
  awaiting_approval: 'violet',
  submitted: 'teal',
  returned: 'orange',
  resubmitted: 'teal',
  verified: 'green',
};

const STATUS_TONE: Record<ResponseStatus, Tone> = {
  not_started: 'missing',
  in_progress: 'info',
  awaiting_approval: 'info',
  submitted: 'done',
  returned: 'returned',
  resubmitted: 'done',
  verified: 'done',
};

/** Statuses in which the agency still works on the answers (the deadline matters, edits are taken). */
export const EDITABLE: ReadonlySet<ResponseStatus> = new Set(['not_started', 'in_progress', 'returned']);

/**
 * The cycle (B.E. year), the agency, the status in Thai, the deadline and any extension in B.E.
 * with the days left, and why the response came back when it did.
 */
export function ResponseHeader({ cycle, response, returnedCount }: { cycle: Cycle; response: ResponseDetail; returnedCount: number }) {
  const s = useResponseText();
  const { t } = useTranslation();
  const lang = useLang();
  const extended = Date.parse(response.deadline) > Date.parse(cycle.closesAt);
  const left = daysLeft(response.deadline);
  const open = EDITABLE.has(response.status) || response.status === 'awaiting_approval';
  const sentBack = response.sentBack;
  return (
    <Stack gap="xs">
      {/* The page's h1 is the section's (a page per pillar); the cycle sits above it. */}
      <Text fw={700} size="lg" c="blue.9">
        {lang === 'th' ? cycle.title.th : cycle.title.en}
      </Text>
      <Group gap="md" wrap="wrap" align="center">
        <Text>
          {s.agency}: <strong>{response.agencyName}</strong> ({response.agencyCode})
        </Text>
        <Marker tone={STATUS_TONE[response.status]} size="lg" data-testid="response-status">
          {t(`status.${response.status}`)}
        </Marker>
      </Group>
      <Text>
        {s.deadline}: <strong>{formatDateTime(response.deadline, lang)}</strong>
        {open && left !== null && (
          <Text component="span" c={left < 0 ? '#8a1c1c' : left <= 3 ? '#9a3412' : undefined} fw={left <= 3 ? 700 : undefined}>
            {' · '}
            {daysLeftText(left, lang)}
          </Text>
        )}
      </Text>
      {extended && (
        <Text size="sm">
          {s.extendedTo(formatDate(response.deadline, lang))} · {s.originalDeadline(formatDate(cycle.closesAt, lang))}
        </Text>
      )}
      {sentBack && (response.status === 'returned' || response.status === 'in_progress') && (
        <Alert color="orange" variant="light" title={sentBack.by === 'approver' ? s.sentBackByApprover : s.sentBackByVerifier}>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{sentBack.comment}</Text>
          <Text size="sm" c="dimmed">
            {formatDateTime(sentBack.at, lang)}
          </Text>
          {returnedCount > 0 && <Text mt="xs">{s.returnedCount(returnedCount)}</Text>}
        </Alert>
      )}
    </Stack>
  );
}
