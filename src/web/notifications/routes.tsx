/** Routes and navigation entries of notifications (App.tsx and AppLayout.tsx include them; the bell is InboxBell). */
import type { TFunction } from 'i18next';
import { Route } from 'react-router';
import type { Session } from '../api.js';
import { Problem } from '../components/Problem.js';
import type { NavItem } from '../membership/routes.js';
import { notify } from './can.js';
import { InboxPage } from './InboxPage.js';
import { WebhooksPage } from './WebhooksPage.js';

export function notificationRoutes(session: Session) {
  return (
    <>
      <Route path="/inbox" element={<InboxPage />} />
      <Route path="/my-organization/webhooks" element={notify.manageWebhooks(session) ? <WebhooksPage /> : <Problem kind="forbidden" />} />
    </>
  );
}

/** Beside "my organisation's users": the inbox itself is reached from the bell in the header. */
export function webhookNav(session: Session, t: TFunction): NavItem[] {
  return [{ to: '/my-organization/webhooks', label: t('notifications.webhooks.nav'), show: notify.manageWebhooks(session), testId: 'nav-webhooks' }];
}
