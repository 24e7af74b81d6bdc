import { Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A loading state that screen readers announce (role="status"); `aria-busy` also tells the browser
 * tests that the page has not settled yet.
 */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" role="status" aria-live="polite" aria-busy="true" py="md">
      <Loader size="sm" aria-hidden />
      <Text>{label ?? t('app.loading')}</Text>
    </Group>
  );
}
