import { Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A loading state that screen readers announce (role="status"). */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" role="status" aria-live="polite" py="md">
      <Loader size="sm" aria-hidden />
      <Text>{label ?? t('app.loading')}</Text>
    </Group>
  );
}
