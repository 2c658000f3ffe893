import { TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** The search box in the header: Enter opens the search page with the words. */
export function HeaderSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    void navigate(`/search?${new URLSearchParams({ q: q.trim() }).toString()}`);
    setQ('');
  };
  return (
    <form onSubmit={submit} role="search">
      <TextInput
        size="xs"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        placeholder={t('search.headerPlaceholder')}
        aria-label={t('search.title')}
        w={200}
        visibleFrom="sm"
        data-testid="header-search"
      />
    </form>
  );
}
