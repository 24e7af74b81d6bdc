import { Box, Group, Text } from '@mantine/core';
import type { Evidence } from '@dg/contracts';
import { useCallback, useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { AnchorLink, ButtonLink } from '../../../components/links';
import { fieldName } from '../../../features/answers/form-values';
import { useResponse } from '../context';
import { EvidenceList } from '../evidence/EvidenceList';
import { useEvidenceText } from '../evidence/text';
import { useEvidenceList } from '../evidence/useEvidence';
import { useCheckText } from './text';

/**
 * On the questionnaire (inside its context and form): the way to "check before sending" and to
 * the print view, and every evidence file of the response (folded), where a deletion also takes
 * the file out of its answer on the page, as the server did.
 */
export function ResponseActions() {
  const { cycleId, agencyId, controller, readOnly, numbers } = useResponse();
  const { setValue } = useFormContext();
  const s = useCheckText();
  const e = useEvidenceText();
  const list = useEvidenceList(cycleId, agencyId);

  const onDeleted = useCallback(
    (file: Evidence) => {
      const answer: unknown = controller.getSnapshot().answers[file.questionId];
      if (!Array.isArray(answer) || !answer.includes(file.id)) return;
      const next = answer.filter((id): id is string => typeof id === 'string' && id !== file.id);
      setValue(fieldName(file.questionId), next, { shouldDirty: false });
      controller.edit(file.questionId, next.length ? next : null);
    },
    [controller, setValue],
  );

  const count = list.data?.items.length;
  // The list is built when opened: the questionnaire's pages stay light.
  const [open, setOpen] = useState(false);
  return (
    <Box className="no-print">
      <Group gap="md" wrap="wrap">
        {!readOnly && (
          <ButtonLink to="/cycles/$cycleId/response/check" params={{ cycleId }} variant="filled">
            {s.title}
          </ButtonLink>
        )}
        <AnchorLink to="/cycles/$cycleId/response/print" params={{ cycleId }}>
          {s.print}
        </AnchorLink>
      </Group>
      <Box
        component="details"
        mt="sm"
        onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <Text component="summary" fw={700} size="sm" style={{ cursor: 'pointer' }}>
          {count === undefined ? e.title : `${e.title} (${count})`}
        </Text>
        {open && (
          <Box mt="xs">
            <EvidenceList
              cycleId={cycleId}
              agencyId={agencyId}
              readOnly={readOnly}
              onDeleted={onDeleted}
              headingOrder={2}
              questionLabel={(id) => (numbers.has(id) ? s.question(numbers.get(id)!) : undefined)}
            />
          </Box>
        )}
      </Box>
    </Box>
  );
}
