import { Alert, Container, Group, Stack, Table, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { AnchorLink } from '../../components/links';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLang } from '../../i18n';
import { formatDate } from '../../lib/dates';
import { usePageTitle } from '../../lib/title';
import { useCycleYear, usePublicAwards } from './api';
import { CertificateForm } from './CertificatePage';
import { pick } from './format';
import { usePublicText } from './text';
import { ScrollTable } from '../../components/ScrollTable';

const route = getRouteApi('/awards/$cycleId');

/** Award winners of a cycle (no login), by category, each linked to its scorecard and certificate check. */
export function AwardsPage() {
  const { cycleId } = route.useParams();
  const t = usePublicText();
  const lang = useLang();
  const year = useCycleYear(cycleId);
  const title = t.awardsTitle(year);
  usePageTitle(title);
  const awards = usePublicAwards(cycleId);
  const announced = awards.data?.state === 'ok' ? awards.data.data : null;
  return (
    <Container size="lg">
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{title}</Title>
          {announced && <Text>{t.announcedOn(formatDate(announced.announcedAt, lang, 'long'))}</Text>}
          <Group gap="lg">
            <AnchorLink to="/results/$cycleId" params={{ cycleId }}>
              {t.results}
            </AnchorLink>
            <AnchorLink to="/results/$cycleId/methodology" params={{ cycleId }}>
              {t.methodology}
            </AnchorLink>
          </Group>
        </Stack>
        {awards.isPending ? (
          <Loading />
        ) : awards.isError ? (
          <ProblemAlert error={awards.error} onRetry={() => void awards.refetch()} />
        ) : awards.data.state === 'not_announced' ? (
          <Alert role="status" color="blue" variant="light" title={t.notAnnounced}>
            <Text>{t.notAnnouncedText}</Text>
          </Alert>
        ) : awards.data.state === 'no_cycle' ? (
          <Alert role="status" color="gray" variant="light" title={t.cycleNotFound}>
            <Text>{t.cycleNotFoundText}</Text>
          </Alert>
        ) : (
          announced?.categories.map((c) => {
            const name = pick(c.name, lang);
            return (
              <Stack key={c.id} component="section" aria-labelledby={`cat-${c.id}`} gap="sm">
                <Title order={2} id={`cat-${c.id}`}>
                  {name}
                </Title>
                {c.winners.length === 0 ? (
                  <Text>{t.noWinners}</Text>
                ) : (
                  <ScrollTable minWidth={320} label={t.winnersOf(name)}>
                    <Table striped withTableBorder captionSide="top" verticalSpacing="xs">
                      <caption className="visually-hidden">{t.winnersOf(name)}</caption>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t.colRank}</Table.Th>
                          <Table.Th scope="col">{t.colAgency}</Table.Th>
                          <Table.Th scope="col">{t.colCertificate}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {c.winners.map((w) => (
                          <Table.Tr key={w.agencyId}>
                            <Table.Td style={{ whiteSpace: 'nowrap' }}>{w.shared ? t.rankShared(w.rank) : t.rankOf(w.rank)}</Table.Td>
                            <Table.Th scope="row" style={{ fontWeight: 400 }}>
                              <AnchorLink
                                to="/results/$cycleId/agencies/$agencyCode"
                                params={{ cycleId, agencyCode: w.agencyCode }}
                              >
                                {w.agencyName}
                              </AnchorLink>{' '}
                              <Text span size="sm" c="dimmed">
                                {w.agencyCode}
                              </Text>
                            </Table.Th>
                            <Table.Td>
                              {w.certificateNo ? (
                                <AnchorLink
                                  to="/certificates/$number"
                                  params={{ number: w.certificateNo }}
                                  aria-label={t.checkCertificateOf(w.certificateNo)}
                                >
                                  {w.certificateNo}
                                </AnchorLink>
                              ) : (
                                <Text span c="dimmed">
                                  {t.certificatePending}
                                </Text>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollTable>
                )}
              </Stack>
            );
          })
        )}
        <Stack component="section" aria-labelledby="check-certificate" gap="sm" className="no-print">
          <Title order={2} id="check-certificate">
            {t.checkCertificate}
          </Title>
          <CertificateForm initial="" />
        </Stack>
      </Stack>
    </Container>
  );
}
