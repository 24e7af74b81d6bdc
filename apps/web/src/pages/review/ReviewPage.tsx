import { Container, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useLang } from '../../i18n';
import { usePageTitle } from '../../lib/title';

const route = getRouteApi('/cycles/$cycleId/review/$agencyCode');

/** One agency's response under verification by DGA staff. */
export function ReviewPage() {
  const { cycleId, agencyCode } = route.useParams();
  const lang = useLang();
  const title = lang === 'th' ? `ตรวจสอบคำตอบของหน่วยงาน ${agencyCode} รอบ ${cycleId}` : `Verify the response of ${agencyCode}, cycle ${cycleId}`;
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
