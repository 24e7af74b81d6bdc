import { Container, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useLang } from '../../i18n';
import { usePageTitle } from '../../lib/title';

const route = getRouteApi('/awards/$cycleId');

/** Award winners of a cycle (no login). */
export function AwardsPage() {
  const { cycleId } = route.useParams();
  const lang = useLang();
  const title = lang === 'th' ? `ผู้ได้รับรางวัลรัฐบาลดิจิทัล รอบ ${cycleId}` : `Digital Government Award winners, cycle ${cycleId}`;
  usePageTitle(title);
  return (
    <Container size="lg">
      <Stack>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">{lang === 'th' ? 'หน้านี้กำลังจัดทำ' : 'This page is being built'}</Text>
      </Stack>
    </Container>
  );
}
