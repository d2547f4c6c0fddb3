import { auditedChange } from '../../admin/audit';
import type { Operation } from '../../admin/operation';
import type { GatewayDeps } from '../../deps';
import type { Context } from '../../http/context';
import type { Endpoint } from '../../http/endpoint';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { badRequest, loadSession, openPageForm, pageFormOf, seeOther, sendPage } from '../../pages';
import type { UserRow } from '../../storage/types';
import { adminUser, operator, requireAdmin } from '../access';
import type { ConsoleFrame } from '../pages';
import { detailErrors, schemaErrors } from './errors';
import { noErrors, type FormErrors, type FormField, type FormValues } from './model';
import { createdPage, formPage } from './page';
import type { Registration } from './registrations';
import { noSuch, operationNamed, readWithVersion, refusalOf, runOperation } from './run-operation';
import { bodyOf, submittedValues } from './to-body';
import { factsOfView, valuesOfView } from './view-values';

// /console/<kind>/new and /console/<kind>/edit?id=: GET shows the form (read-only to `admin_read`),
// POST (CSRF-checked, `admin` only) runs the admin API operation and writes its audit entry, as the
// console's other changes do. A refused form comes back with the values typed (never a password)
// and each problem next to its field; a stale edit comes back with 409 and the current values.

const profileNames = async (deps: GatewayDeps) => (await deps.store.profiles.list()).map((p) => p.name).sort();

async function csrfFor(ctx: Context, deps: GatewayDeps, frame: ConsoleFrame): Promise<string | null> {
  return frame.role === 'admin' ? (await loadSession(ctx, deps)).csrfToken() : null;
}

function idFromQuery(ctx: Context): string {
  const id = ctx.query.id;
  if (typeof id !== 'string' || id === '') throw badRequest('The address must name what to edit.');
  return id;
}

/** Runs the change under the admin API's audit entry (operation id, target kind; the operator as actor). */
function audited<T>(deps: GatewayDeps, ctx: Context, actor: UserRow, op: Operation, target: string, run: () => Promise<T & { target?: string }>) {
  return auditedChange(deps, ctx, { actor: actor.username, actorClient: null, source: 'console' }, { operation: op.id, targetKind: op.audit as string, target }, run, { targetOf: (r) => r.target });
}

/** The operation's refusals a person can fix in the form; anything else goes to the error page. */
const fixable = ['invalid_input', 'conflict'];

function createEndpoints(deps: GatewayDeps, reg: Registration) {
  const op = operationNamed(reg.create.operation);
  const show = (ctx: Context, frame: ConsoleFrame, fields: FormField[], values: FormValues, errors: FormErrors, csrfToken: string | null, status = 200) =>
    sendPage(ctx, formPage(frame, { reg, mode: 'create', fields, values, errors, csrfToken }), { status });

  async function get(ctx: Context): Promise<void> {
    const frame = await operator(ctx, deps);
    if (frame) show(ctx, frame, reg.create.fields(await profileNames(deps)), {}, noErrors, await csrfFor(ctx, deps, frame));
  }

  async function post(ctx: Context): Promise<void> {
    const actor = await adminUser(ctx, deps);
    const frame: ConsoleFrame = { username: actor.username, role: 'admin' };
    const csrfToken = await (await loadSession(ctx, deps)).csrfToken();
    const form = pageFormOf(ctx).fields;
    const fields = reg.create.fields(await profileNames(deps));
    const parsed = (op.body as NonNullable<Operation['body']>).safeParse(bodyOf(fields, form));
    if (!parsed.success) return show(ctx, frame, fields, submittedValues(fields, form), schemaErrors(fields, parsed.error), csrfToken, 400);
    let result;
    try {
      result = await audited(deps, ctx, actor, op, '', () => runOperation(deps, ctx, op, { body: parsed.data }));
    } catch (err) {
      const refusal = refusalOf(err, fixable);
      if (!refusal) throw err;
      return show(ctx, frame, fields, submittedValues(fields, form), detailErrors(fields, refusal.description), csrfToken, refusal.status);
    }
    const created = result.body as Record<string, unknown>;
    const secret = created.client_secret ?? created.secret;
    // sendPage answers no-store: the secret stays in no cache, and it reaches no log (nothing logs a body).
    if (typeof secret === 'string') sendPage(ctx, createdPage(frame, reg, reg.edit.idLabel, String(created[reg.edit.param]), secret));
    else seeOther(ctx, `${reg.listPath}?done=created`);
  }

  return { get, post };
}

function editEndpoints(deps: GatewayDeps, reg: Registration) {
  const op = operationNamed(reg.edit.operation);
  const paramsOf = (id: string) => {
    const params = { [reg.edit.param]: id };
    if (!op.params?.safeParse(params).success) throw noSuch(reg.one);
    return params;
  };
  const show = (ctx: Context, frame: ConsoleFrame, input: { id: string; etag: string; view: Record<string, unknown>; fields: FormField[]; values?: FormValues; errors?: FormErrors; stale?: boolean }, csrfToken: string | null, status = 200) =>
    sendPage(
      ctx,
      formPage(frame, {
        reg,
        mode: 'edit',
        fields: input.fields,
        values: input.values ?? valuesOfView(input.fields, input.view),
        errors: input.errors ?? noErrors,
        csrfToken,
        id: input.id,
        etag: input.etag,
        fixed: factsOfView(reg.edit.fixed, input.view),
        stale: input.stale,
      }),
      { status },
    );

  async function get(ctx: Context): Promise<void> {
    const frame = await operator(ctx, deps);
    if (!frame) return;
    const id = idFromQuery(ctx);
    const { view, etag } = await readWithVersion(deps, ctx, reg.edit.read, paramsOf(id), reg.one);
    show(ctx, frame, { id, etag, view, fields: reg.edit.fields(await profileNames(deps)) }, await csrfFor(ctx, deps, frame));
  }

  async function post(ctx: Context): Promise<void> {
    const actor = await adminUser(ctx, deps);
    const frame: ConsoleFrame = { username: actor.username, role: 'admin' };
    const csrfToken = await (await loadSession(ctx, deps)).csrfToken();
    const form = pageFormOf(ctx).fields;
    const id = form.get('id') ?? '';
    const version = form.get('version') ?? '';
    if (id === '' || version === '') throw badRequest('The form must carry what it edits and the version it was opened with.');
    const params = paramsOf(id);
    const fields = reg.edit.fields(await profileNames(deps));
    const typed = { id, etag: version, fields, values: submittedValues(fields, form) };
    const parsed = (op.body as NonNullable<Operation['body']>).safeParse(bodyOf(fields, form));
    if (!parsed.success) {
      const { view } = await readWithVersion(deps, ctx, reg.edit.read, params, reg.one);
      return show(ctx, frame, { ...typed, view, errors: schemaErrors(fields, parsed.error) }, csrfToken, 400);
    }
    try {
      await audited(deps, ctx, actor, op, Object.values(params).join('/'), () => runOperation(deps, ctx, op, { params, body: parsed.data, ifMatch: version }));
    } catch (err) {
      if (refusalOf(err, ['not_found'])) throw noSuch(reg.one);
      if (refusalOf(err, ['precondition_failed'])) {
        // Someone saved in between: answer the current values and version, so the next save is a deliberate one.
        const current = await readWithVersion(deps, ctx, reg.edit.read, params, reg.one);
        return show(ctx, frame, { id, fields, ...current, stale: true }, csrfToken, 409);
      }
      const refusal = refusalOf(err, fixable);
      if (!refusal) throw err;
      const { view } = await readWithVersion(deps, ctx, reg.edit.read, params, reg.one);
      return show(ctx, frame, { ...typed, view, errors: detailErrors(fields, refusal.description) }, csrfToken, refusal.status);
    }
    seeOther(ctx, `${reg.listPath}?done=saved`);
  }

  return { get, post };
}

/** The two endpoints of one registration kind. */
export function registrationEndpoints(deps: GatewayDeps, reg: Registration): Endpoint[] {
  const postSteps = [openPageForm(deps, { csrf: 'session' }), requireAdmin(deps)];
  const create = createEndpoints(deps, reg);
  const edit = editEndpoints(deps, reg);
  return [
    { paths: [`/console/${reg.kind}/new`], common: [routeName(`console.${reg.kind}.new`), answersIn('page')], methods: { GET: [create.get], POST: [...postSteps, create.post] } },
    { paths: [`/console/${reg.kind}/edit`], common: [routeName(`console.${reg.kind}.edit`), answersIn('page')], methods: { GET: [edit.get], POST: [...postSteps, edit.post] } },
  ];
}
