import { Box, Stack, Text } from '@mantine/core';
import type { DiffPart } from './api.js';

/** Word-level changes of one field: added text green and underlined, removed text red and struck through. */
export function DiffParts({ parts }: { parts: DiffPart[] }) {
  return (
    <Box
      component="div"
      style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', lineHeight: 1.7, fontSize: 'var(--mantine-font-size-sm)' }}
      data-testid="diff-parts"
    >
      {parts.map((p, i) =>
        p.added ? (
          <ins
            key={i}
            data-testid="diff-added"
            style={{ background: 'var(--mantine-color-green-1)', color: 'var(--mantine-color-green-9)', textDecoration: 'underline' }}
          >
            {p.value}
          </ins>
        ) : p.removed ? (
          <del
            key={i}
            data-testid="diff-removed"
            style={{ background: 'var(--mantine-color-red-1)', color: 'var(--mantine-color-red-9)', textDecoration: 'line-through' }}
          >
            {p.value}
          </del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </Box>
  );
}

export function FieldDiffView({ label, parts }: { label: string; parts: DiffPart[] }) {
  return (
    <Stack gap={2} data-testid="diff-field">
      <Text size="xs" fw={700} c="dimmed">
        {label}
      </Text>
      <DiffParts parts={parts} />
    </Stack>
  );
}
