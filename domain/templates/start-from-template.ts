/**
 * 从模板发起 (issue 11): a contract whose document is generated from a published + enabled template.
 * The request names the field values and, for every role of the template, who takes it; each role
 * becomes one participant of the lifecycle v2 contract with `placement: 'preset'`, the role's step
 * and 可拒签, and the marks generation placed for it. The rest is `startContract` unchanged (one
 * place for participants, marks, expiry, idempotency, the workflow and the trail).
 * Business systems call the same function over the API (POST /contracts/from-template).
 */
import { z } from 'zod';
import { startContractSpecSchema, type StartContractSpec } from '../contracts/start-contract-spec';
import { resumeStartByKey, startContract, type Initiator, type StartContractDeps } from '../contracts/start-contract';
import type { Contract } from '../contracts/contract.entity';
import { AppError, invalid } from '../errors';
import { isDerivedField } from './field-values';
import type { TemplateRole } from './template-definition';
import { requestTemplateDocument, type RequestTemplateDocumentDeps } from './template-generations';
import { assertTemplateUsable } from './template-usable';
import type { DocumentTemplate } from './template.entity';

const roleParticipantSchema = z
  .object({
    roleId: z.string().min(1).max(10),
    mobile: z.string().max(20).nullish(),
    name: z.string().max(50).nullish(),
    enterpriseId: z.string().max(36).nullish(),
    departmentName: z.string().max(30).nullish(),
    operatorMobile: z.string().max(20).nullish(),
  })
  .strict();

/** POST /contracts/from-template: the contract's details as in POST /contracts, the values, and who takes each role. */
export const startFromTemplateSchema = z
  .object({
    templateId: z.string().min(1).max(36),
    values: z.record(z.unknown()).default({}),
    title: z.unknown(),
    contractNo: z.unknown().optional(),
    remarks: z.unknown().optional(),
    expiresAt: z.unknown().optional(),
    actAs: z.unknown().optional(),
    cc: z.unknown().optional(),
    participants: z.array(roleParticipantSchema).max(50, '签署方过多'),
  })
  .strict();
export type StartFromTemplateRequest = z.infer<typeof startFromTemplateSchema>;

export { assertTemplateUsable } from './template-usable';

/** The fill form (GET /templates/:id/form): fields without their boxes (derived ones flagged), roles without mark positions. */
export function templateForm(template: Pick<DocumentTemplate, 'id' | 'kind' | 'name' | 'definition'>) {
  return {
    id: template.id,
    kind: template.kind,
    name: template.name,
    fields: template.definition.fields.map(({ box: _box, ...f }) => ({ ...f, derived: isDerivedField(f) })),
    roles: orderedRoles(template.definition.roles).map((r) => ({ id: r.id, name: r.name, kind: r.kind, step: r.step, canRefuse: r.canRefuse, markKinds: [...new Set(r.marks.map((m) => m.kind))] })),
  };
}

/** The answer of GET /templates/:id/form (JSON as is); the portal imports it as a type. */
export type TemplateFormView = ReturnType<typeof templateForm>;

/** Participants follow the roles by step, then as the author listed them. */
const orderedRoles = (roles: readonly TemplateRole[]) => roles.map((r, i) => ({ r, i })).sort((a, b) => a.r.step - b.r.step || a.i - b.i).map(({ r }) => r);

type RoleParticipant = z.infer<typeof roleParticipantSchema>;

/** Maps every role to the party that takes it (each role exactly once); marks come later from generation. */
export function participantsForRoles(roles: readonly TemplateRole[], given: readonly RoleParticipant[]): { role: TemplateRole; spec: Record<string, unknown> }[] {
  const byRole = new Map<string, RoleParticipant>();
  for (const p of given) {
    const role = roles.find((r) => r.id === p.roleId);
    if (!role) throw invalid('TEMPLATE_ROLE_UNKNOWN', `模板中没有角色 ${p.roleId}`, `The template has no role ${p.roleId}`);
    if (byRole.has(p.roleId)) throw invalid('TEMPLATE_ROLE_DUPLICATE', `角色「${role.name}」只能指定一个签署方`, `Role "${role.name}" takes one participant`);
    byRole.set(p.roleId, p);
  }
  return orderedRoles(roles).map((role) => {
    const p = byRole.get(role.id);
    if (!p) throw invalid('TEMPLATE_ROLE_UNMAPPED', `请为角色「${role.name}」指定签署方`, `Choose the participant for role "${role.name}"`);
    const common = { kind: role.kind, step: role.step, canRefuse: role.canRefuse, note: null, placement: 'preset' };
    if (role.kind === 'person') return { role, spec: { ...common, mobile: p.mobile ?? undefined, name: p.name ?? null } };
    const unit = { ...common, enterpriseId: p.enterpriseId ?? undefined, operatorMobile: p.operatorMobile ?? null };
    return { role, spec: role.kind === 'department' ? { ...unit, departmentName: p.departmentName ?? undefined } : unit };
  });
}

/** startContract names participants by position ("第 2 个签署方："): here the role's name says more. */
function namingRoles(err: unknown, roles: readonly TemplateRole[]): unknown {
  if (!(err instanceof AppError)) return err;
  let { message, messageEn } = err;
  roles.forEach((r, i) => {
    message = message.replace(`第 ${i + 1} 个签署方`, `角色「${r.name}」`);
    messageEn = messageEn.replace(`Participant ${i + 1}`, `Role "${r.name}"`);
  });
  return message === err.message && messageEn === err.messageEn ? err : new AppError(err.kind, err.code, message, messageEn, err.details);
}

function parseSpec(request: StartFromTemplateRequest, participants: Record<string, unknown>[], roles: readonly TemplateRole[]): StartContractSpec {
  const { templateId: _t, values: _v, participants: _p, ...details } = request;
  const parsed = startContractSpecSchema.safeParse({ ...details, participants });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [list, index] = issue.path;
  const where = list === 'participants' && typeof index === 'number' && roles[index] ? { zh: `角色「${roles[index].name}」：`, en: `Role "${roles[index].name}": ` } : { zh: '', en: '' };
  throw invalid('VALIDATION_FAILED', `${where.zh}${issue.message}`, `${where.en}Invalid input: ${issue.path.join('.')}`, { issues: parsed.error.issues });
}

export interface StartFromTemplateDeps extends StartContractDeps {
  generation: RequestTemplateDocumentDeps;
}

/**
 * Starts a contract from `template` (already looked up with the caller's access). Checks the
 * request before generating (cheap failures first), generates the document with the values, then
 * calls startContract with every role as a preset participant carrying its generated marks.
 */
export async function startContractFromTemplate(
  deps: StartFromTemplateDeps,
  actor: Initiator,
  template: DocumentTemplate,
  request: StartFromTemplateRequest,
  options: { idempotencyKey?: string } = {},
): Promise<Contract> {
  assertTemplateUsable(template);
  const mapped = participantsForRoles(template.definition.roles, request.participants);
  const roles = mapped.map((m) => m.role);
  const draft = parseSpec(request, mapped.map((m) => ({ ...m.spec, marks: [] })), roles);
  // A retry with the same Idempotency-Key gets its contract without generating the document again.
  const earlier = options.idempotencyKey ? await resumeStartByKey(deps, actor, options.idempotencyKey, draft.actAs) : null;
  if (earlier) return earlier;
  const doc = await requestTemplateDocument(deps.generation, { template, values: request.values, purpose: 'contract', requestedBy: actor.id });
  const spec = parseSpec(request, mapped.map((m) => ({ ...m.spec, marks: doc.roleMarks[m.role.id] ?? [] })), roles);
  // The template as generated from (its version is the generation row's), checked again inside the start's transaction.
  const viaShare = template.ownerType === 'enterprise' && template.ownerId !== actor.actingEnterpriseId;
  const used = { id: template.id, version: template.version, sharedTo: viaShare ? (actor.actingEnterpriseId ?? '') : null };
  try {
    return await startContract(deps, actor, spec, doc.pdf, { idempotencyKey: options.idempotencyKey, template: used });
  } catch (err) {
    throw namingRoles(err, roles);
  }
}
