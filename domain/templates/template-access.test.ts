import { describe, expect, it } from 'vitest';
import { accessWith, type TemplateActor } from './template-access';
import type { TemplateShare } from './template-share.entity';
import type { DocumentTemplate } from './template.entity';

const E1 = 'e1';
const E2 = 'e2';
const template = (over: Partial<DocumentTemplate> = {}) =>
  ({ id: 't1', ownerType: 'enterprise', ownerId: E1, status: 'draft', enabled: true, ...over }) as DocumentTemplate;
const actor = (acting: TemplateActor['acting']): TemplateActor => ({ id: 'u1', name: '张三', ip: null, acting });
const share = (editable: boolean, enterpriseId = E2): TemplateShare => ({ id: 's1', templateId: 't1', enterpriseId, editable, createdAt: new Date() });
const rights = (a: ReturnType<typeof accessWith>) => (a ? { manage: a.canManage, edit: a.canEdit, shared: a.share !== null } : null);

describe('template access rule', () => {
  it('personal: the user owns and manages own templates only', () => {
    expect(rights(accessWith(actor(null), template({ ownerType: 'user', ownerId: 'u1' }), null))).toEqual({ manage: true, edit: true, shared: false });
    expect(accessWith(actor(null), template({ ownerType: 'user', ownerId: 'u2', status: 'published' }), null)).toBeNull();
    expect(accessWith(actor(null), template(), null)).toBeNull(); // an enterprise's template while acting personally
  });

  it('owner enterprise: the console role manages everything; members see published + enabled only, read-only', () => {
    for (const role of ['admin', 'seal_admin'] as const) expect(rights(accessWith(actor({ enterpriseId: E1, role }), template(), null))).toEqual({ manage: true, edit: true, shared: false });
    const member = actor({ enterpriseId: E1, role: 'member' });
    expect(accessWith(member, template(), null)).toBeNull();
    expect(accessWith(member, template({ status: 'published', enabled: false }), null)).toBeNull();
    expect(rights(accessWith(member, template({ status: 'published' }), null))).toEqual({ manage: false, edit: false, shared: false });
  });

  it('shares: visible to the receiving enterprise, editable only if the share says so, never managed there', () => {
    const receiverAdmin = actor({ enterpriseId: E2, role: 'admin' });
    expect(rights(accessWith(receiverAdmin, template(), share(false)))).toEqual({ manage: false, edit: false, shared: true });
    expect(rights(accessWith(receiverAdmin, template(), share(true)))).toEqual({ manage: false, edit: true, shared: true });
    const receiverMember = actor({ enterpriseId: E2, role: 'member' });
    expect(accessWith(receiverMember, template(), share(true))).toBeNull();
    expect(rights(accessWith(receiverMember, template({ status: 'published' }), share(true)))).toEqual({ manage: false, edit: false, shared: true });
    expect(accessWith(actor({ enterpriseId: 'e3', role: 'admin' }), template(), null)).toBeNull();
    expect(accessWith(actor({ enterpriseId: 'e3', role: 'admin' }), template(), share(true))).toBeNull(); // a share to another enterprise
  });
});
