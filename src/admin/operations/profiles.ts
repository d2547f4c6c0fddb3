import { z } from 'zod';
import { addProfile } from '../../accounts/admin';
import { deleteProfile } from '../../accounts/delete';
import { parseList } from '../../accounts/validation';
import { etagOf, ifMatchAdmits } from '../etag';
import { asProblems } from '../input-errors';
import type { Operation } from '../operation';
import { pageOf, pageQuery, paginate } from '../pagination';
import { notFound, preconditionFailed } from '../problems';
import { profileSchema, profileView } from '../views';

const privilege = z.string().min(1).max(128).regex(/^[^,]+$/, 'a privilege has no comma');
const byName = z.object({ name: z.string().min(1).max(128) });

export const profileOperations: Operation[] = [
  {
    id: 'listProfiles',
    method: 'GET',
    path: '/profiles',
    tag: 'profiles',
    summary: 'List operator profiles',
    access: 'read',
    query: pageQuery.extend({ privilege: z.string().optional().meta({ description: 'Only profiles holding this privilege.' }) }),
    response: pageOf(profileSchema),
    async handle({ deps, query }) {
      const rows = (await deps.store.profiles.list()).filter((p) => query.privilege === undefined || p.privileges.includes(query.privilege));
      return { body: paginate(rows.map(profileView), (p) => p.name, query) };
    },
  },
  {
    id: 'createProfile',
    method: 'POST',
    path: '/profiles',
    tag: 'profiles',
    summary: 'Create an operator profile',
    access: 'write',
    body: z.strictObject({ name: z.string().min(1).max(128), privileges: z.array(privilege).default([]) }),
    response: profileSchema,
    status: 201,
    etag: true,
    audit: 'profile',
    async handle({ admin, body }) {
      const row = await asProblems(() => addProfile(admin, { name: body.name, privileges: body.privileges.join(',') }));
      const view = profileView(row);
      return { body: view, etag: etagOf(view), target: row.name };
    },
  },
  {
    id: 'getProfile',
    method: 'GET',
    path: '/profiles/{name}',
    tag: 'profiles',
    summary: 'Read one profile',
    access: 'read',
    params: byName,
    response: profileSchema,
    etag: true,
    async handle({ deps, params }) {
      const row = await deps.store.profiles.findByName(params.name);
      if (!row) throw notFound('profile');
      const view = profileView(row);
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'updateProfile',
    method: 'PATCH',
    path: '/profiles/{name}',
    tag: 'profiles',
    summary: "Change a profile's privileges (If-Match required)",
    access: 'write',
    params: byName,
    body: z.strictObject({ privileges: z.array(privilege) }),
    response: profileSchema,
    etag: true,
    ifMatch: true,
    audit: 'profile',
    async handle({ deps, params, body, ifMatch }) {
      const row = await deps.store.profiles.findByName(params.name);
      if (!row) throw notFound('profile');
      if (!ifMatchAdmits(ifMatch as string, etagOf(profileView(row)))) throw preconditionFailed();
      const privileges = [...new Set(parseList(body.privileges.join(',')))];
      if (!(await deps.store.profiles.update(row.id, row.version ?? 0, { privileges }))) throw preconditionFailed();
      const view = profileView({ ...row, privileges });
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'deleteProfile',
    method: 'DELETE',
    path: '/profiles/{name}',
    tag: 'profiles',
    summary: 'Delete a profile no user, client or consumer names',
    access: 'write',
    params: byName,
    status: 204,
    audit: 'profile',
    async handle({ admin, params }) {
      await asProblems(() => deleteProfile(admin, params.name));
      return {};
    },
  },
];
