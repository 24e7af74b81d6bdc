import { Container, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useLang } from '../../i18n';
import { usePageTitle } from '../../lib/title';

const route = getRouteApi('/results/$cycleId/agencies/$agencyCode');

/** One agency's published scorecard (no login). */
export function AgencyScorecardPage() {
  const { cycleId, agencyCode } = route.useParams();
  const lang = useLang();
  const title = lang === 'th' ? `ผลคะแนนของหน่วยงาน ${agencyCode} รอบ ${cycleId}` : `Scorecard of ${agencyCode}, cycle ${cycleId}`;
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
