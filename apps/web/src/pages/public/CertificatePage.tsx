import { Alert, Button, Container, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { AnchorLink } from '../../components/links';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLang } from '../../i18n';
import { formatDate } from '../../lib/dates';
import { usePageTitle } from '../../lib/title';
import { useCertificate } from './api';
import { pick } from './format';
import { usePublicText } from './text';

const route = getRouteApi('/certificates/$number');

/** The shape of a certificate number (the contracts' CertificateNumber), checked before asking. */
const NUMBER = /^[A-Za-z0-9._-]{1,120}$/;

/** A form to type a certificate number; checking goes to `/certificates/<number>` (a link anyone can share). */
export function CertificateForm({ initial }: { initial: string }) {
  const t = usePublicText();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const number = value.trim();
    if (!number) return setError(t.certNumberRequired);
    if (!NUMBER.test(number)) return setError(t.certNumberInvalid);
    setError(null);
    void navigate({ to: '/certificates/$number', params: { number } });
  };
  return (
    <form onSubmit={submit} noValidate role="search" aria-label={t.certTitle}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t.certNumber}
          description={t.certNumberHint}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={error}
          autoComplete="off"
          spellCheck={false}
          style={{ flex: '1 1 18rem' }}
        />
        <Button type="submit">{t.certCheck}</Button>
      </Group>
    </form>
  );
}

/** Checks that a certificate number is genuine (no login): who won what, in which year, and when. */
export function CertificatePage() {
  const { number } = route.useParams();
  const t = usePublicText();
  const lang = useLang();
  usePageTitle(`${t.certTitle} ${number}`);
  const check = useCertificate(number);
  return (
    <Container size="md">
      <Stack gap="lg">
        <Title order={1}>{t.certTitle}</Title>
        <CertificateForm key={number} initial={number} />
        <div aria-live="polite">
          {check.isPending ? (
            <Loading />
          ) : check.isError ? (
            <ProblemAlert error={check.error} onRetry={() => void check.refetch()} />
          ) : check.data.state === 'not_found' ? (
            <Alert color="red" variant="light" title={t.certNotFound} data-testid="certificate-not-found">
              <Text>{t.certNotFoundText(number)}</Text>
            </Alert>
          ) : (
            <Stack gap="sm" data-testid="certificate-genuine">
              <Alert color="green" variant="light" title={t.certGenuine}>
                <Text>{t.certGenuineText(check.data.data.number)}</Text>
              </Alert>
              <Table withTableBorder verticalSpacing="xs">
                <caption className="visually-hidden">{t.checkCertificateOf(check.data.data.number)}</caption>
                <Table.Tbody>
                  {(
                    [
                      [t.certAgency, `${check.data.data.agencyName} (${check.data.data.agencyCode})`],
                      [t.certAward, pick(check.data.data.category.name, lang)],
                      [t.certCycle, String(check.data.data.cycleYearBE)],
                      [t.certRank, check.data.data.shared ? t.rankShared(check.data.data.rank) : t.rankOf(check.data.data.rank)],
                      [t.certAnnounced, formatDate(check.data.data.announcedAt, lang, 'long')],
                      [t.certIssued, formatDate(check.data.data.issuedAt, lang, 'long')],
                    ] as const
                  ).map(([label, value]) => (
                    <Table.Tr key={label}>
                      <Table.Th scope="row" w="40%">
                        {label}
                      </Table.Th>
                      <Table.Td>{value}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group gap="lg">
                <AnchorLink to="/awards/$cycleId" params={{ cycleId: check.data.data.cycleId }}>
                  {t.certAllWinners}
                </AnchorLink>
                <AnchorLink
                  to="/results/$cycleId/agencies/$agencyCode"
                  params={{ cycleId: check.data.data.cycleId, agencyCode: check.data.data.agencyCode }}
                >
                  {t.scorecardOf(check.data.data.agencyName)}
                </AnchorLink>
              </Group>
            </Stack>
          )}
        </div>
      </Stack>
    </Container>
  );
}
