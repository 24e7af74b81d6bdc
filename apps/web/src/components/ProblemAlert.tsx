import { Alert, Button, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/problem';
import { retryAfterTh, thaiMessageFor } from '../lib/problems';

/**
 * An error shown to a person: the server's Thai detail (or ours for the code), field errors when
 * there are some, the wait before retrying after a 429, and a retry button when given one.
 * Announced at once (role="alert").
 */
export function ProblemAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = error instanceof ApiProblem ? error : null;
  const detail = problem ? problem.detail : thaiMessageFor('INTERNAL', 500);
  return (
    <Alert color="red" role="alert" title={title} variant="light">
      <Text>{detail}</Text>
      {problem?.retryAfter != null && problem.status === 429 && <Text>{retryAfterTh(problem.retryAfter)}</Text>}
      {problem && problem.errors.length > 0 && (
        <List size="sm" mt="xs">
          {problem.errors.map((e, i) => (
            <List.Item key={`${e.path ?? e.row ?? i}-${e.code}`}>
              {[e.path, e.messageTh ?? e.message].filter(Boolean).join(': ')}
            </List.Item>
          ))}
        </List>
      )}
      {onRetry && (
        <Button mt="sm" variant="outline" color="red" onClick={onRetry}>
          {t('app.retry')}
        </Button>
      )}
    </Alert>
  );
}
