import { Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../lib/title';
import { AnchorLink } from '../components/links';

/** The 404 page, Thai first (part of the shell: it must show even when a page chunk cannot load). */
export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <Container size="md">
      <Stack>
        <Title order={1}>{t('notFound.title')}</Title>
        <Text>{t('notFound.text')}</Text>
        <AnchorLink to="/">
          {t('app.back')}
        </AnchorLink>
      </Stack>
    </Container>
  );
}
