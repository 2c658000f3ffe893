/** Organisations and their users. */
import { z } from 'zod';
import { Organization, OrganizationCreate, OrganizationUpdate, page, PageQuery, User, UserCreate, UserUpdate } from '../../core/model.js';
import { createOrganization, getOrganization, listOrganizations, updateOrganization } from '../../core/usecases/organizations.js';
import { createUser, listUsers, resetPassword, updateUser } from '../../core/usecases/users.js';
import { errors, IdParams, type App } from './types.js';

export function organizationRoutes(app: App): void {
  const deps = app.deps;
  const tags = ['organizations'];

  app.get(
    '/api/v1/organizations',
    { schema: { tags, querystring: PageQuery, response: { 200: page(Organization), ...errors } } },
    (req) => listOrganizations(deps, req.actor, req.query),
  );

  app.post(
    '/api/v1/organizations',
    { schema: { tags, body: OrganizationCreate, response: { 201: Organization, ...errors } } },
    async (req, reply) => reply.code(201).send(await createOrganization(deps, req.actor, req.body, req.meta)),
  );

  app.get(
    '/api/v1/organizations/:id',
    { schema: { tags, params: IdParams, response: { 200: Organization, ...errors } } },
    (req) => getOrganization(deps, req.actor, req.params.id),
  );

  app.patch(
    '/api/v1/organizations/:id',
    { schema: { tags, params: IdParams, body: OrganizationUpdate, response: { 200: Organization, ...errors } } },
    (req) => updateOrganization(deps, req.actor, req.params.id, req.body, req.meta),
  );

  app.get(
    '/api/v1/organizations/:id/users',
    { schema: { tags: ['users'], params: IdParams, querystring: PageQuery, response: { 200: page(User), ...errors } } },
    (req) => listUsers(deps, req.actor, req.params.id, req.query),
  );

  app.post(
    '/api/v1/organizations/:id/users',
    {
      schema: {
        tags: ['users'],
        params: IdParams,
        body: UserCreate,
        response: { 201: z.object({ user: User, initialPassword: z.string().optional() }), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createUser(deps, req.actor, req.params.id, req.body, req.meta)),
  );

  app.patch(
    '/api/v1/users/:id',
    { schema: { tags: ['users'], params: IdParams, body: UserUpdate, response: { 200: User, ...errors } } },
    (req) => updateUser(deps, req.actor, req.params.id, req.body, req.meta),
  );

  app.post(
    '/api/v1/users/:id/reset-password',
    { schema: { tags: ['users'], params: IdParams, response: { 200: z.object({ password: z.string() }), ...errors } } },
    async (req) => ({ password: await resetPassword(deps, req.actor, req.params.id, req.meta) }),
  );
}
