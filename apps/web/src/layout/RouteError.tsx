import { Container, Stack, Title } from '@mantine/core';
import { type ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ForbiddenError } from '../auth/session';
import { ProblemAlert } from '../components/ProblemAlert';
import { AnchorLink } from '../components/links';

/** What a page shows when its guard refuses it or its code fails to load. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  if (error instanceof ForbiddenError) {
    return (
      <Container size="md">
        <Stack>
          <Title order={1}>{t('auth.forbidden')}</Title>
          <AnchorLink to="/">
            {t('app.back')}
          </AnchorLink>
        </Stack>
      </Container>
    );
  }
  return (
    <Container size="md">
      <ProblemAlert error={error} onRetry={reset} />
    </Container>
  );
}
