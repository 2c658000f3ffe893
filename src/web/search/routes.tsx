/** Routes and navigation entries of search and observable look-up (App.tsx and AppLayout.tsx include them). */
import type { TFunction } from 'i18next';
import { Route } from 'react-router';
import { LookupPage } from './LookupPage.js';
import { RulebookPage } from './RulebookPage.js';
import { SearchPage } from './SearchPage.js';

/** Every signed-in user may search: the server shows each only what they may read. */
export function searchRoutes() {
  return (
    <>
      <Route path="/search" element={<SearchPage />} />
      <Route path="/lookup" element={<LookupPage />} />
      <Route path="/rulebooks/:id" element={<RulebookPage />} />
    </>
  );
}

export function searchNav(t: TFunction) {
  return [
    { to: '/search', label: t('search.nav'), show: true, testId: 'nav-search' },
    { to: '/lookup', label: t('lookup.nav'), show: true, testId: 'nav-lookup' },
  ];
}
